// A host for unit tests, shipped with the SDK: a plugin author tests a plugin without
// the server. It builds a real `renum_host_api` table and calls the plugin THROUGH the
// C descriptor (on_init, on_invoke, on_free, on_shutdown), so the glue is tested too.
// It applies the manifest's rules the way the server does: egress only to
// policy.allowed_hosts, credentials only for required_credentials.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization
internal import CRenumPlugin
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public final class FakeHost: Sendable {
    /// One line the plugin logged; `capability` is nil outside a call (init, shutdown).
    public struct LogEntry: Sendable, Equatable {
        public let level: LogLevel
        public let message: String
        public let capability: String?
    }

    /// One unit the plugin metered.
    public struct MeterEntry: Sendable, Equatable {
        public let unit: String
        public let quantity: Double
        public let capability: String
    }

    /// Answers the plugin's HTTP requests (after the egress check). Throw a `HostError`
    /// to simulate a failure (e.g. `.timeout`, `.unavailable`).
    public typealias HTTPHandler = @Sendable (HTTPRequest) throws -> HTTPResponse

    /// Why a plugin was refused (the checks the server's loader makes, in its order).
    public struct LoadError: Error, Sendable, Equatable, CustomStringConvertible {
        /// DLOPEN_FAILED, NO_ENTRY_SYMBOL, NULL_DESCRIPTOR, BAD_MAGIC, DESCRIPTOR_TOO_SMALL,
        /// ABI_INCOMPATIBLE, MISSING_FUNCTION, BAD_MANIFEST, or the plugin's own init error code.
        public let code: String
        public let message: String
        public var description: String { "\(code): \(message)" }
    }

    fileprivate struct State {
        var logs: [LogEntry] = []
        var meters: [MeterEntry] = []
        var httpRequests: [HTTPRequest] = []
        var misuses: [String] = []
    }

    private let state = Mutex(State())
    private let credentials: [String: [String: String]]
    private let http: HTTPHandler
    private let fixedNow: UInt64?

    /// - credentials: secrets by service type, as the calling user stored them.
    /// - now: a fixed clock, nanoseconds since the Unix epoch (nil: the system clock).
    /// - http: the fake network (by default every request fails with UNAVAILABLE).
    public init(credentials: [String: [String: String]] = [:],
                now: UInt64? = nil,
                http: @escaping HTTPHandler = { _ in throw HostError(result: .unavailable, code: "NO_NETWORK", message: "the fake host has no network") }) {
        self.credentials = credentials
        self.fixedNow = now
        self.http = http
    }

    /// Everything the plugin logged, in order.
    public var logs: [LogEntry] { state.withLock { $0.logs } }
    /// Everything the plugin metered, in order.
    public var meters: [MeterEntry] { state.withLock { $0.meters } }
    /// The HTTP requests that passed the egress check and reached `http`.
    public var httpRequests: [HTTPRequest] { state.withLock { $0.httpRequests } }
    /// Rule breaks seen (a host function called with a stale or foreign ctx, …): should stay empty.
    public var misuses: [String] { state.withLock { $0.misuses } }

    public static let systemClock: @Sendable () -> UInt64 = {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    /// The host table this fake hands to plugins (a `const renum_host_api *`).
    public static var hostTable: UnsafeRawPointer { UnsafeRawPointer(fakeHostTable.pointer) }

    // MARK: Loading

    /// Loads a Swift plugin type from this process through its C descriptor.
    public func load<P: RenumPlugin>(_ type: P.Type, configuration: String = "{}") throws -> LoadedPlugin {
        let descriptor = RenumPluginExport.descriptor(for: type)
        return try initTypeOverride.with(TypeBox(type)) {
            try load(descriptor: descriptor, configuration: configuration)
        }
    }

    /// Loads a built plugin library (.so) the way the server does in process: dlopen
    /// RTLD_NOW|RTLD_LOCAL|RTLD_NODELETE (never dlclosed: unloading a Swift image is
    /// unsafe), then the entry symbol and the descriptor checks.
    public func load(libraryAt path: String, configuration: String = "{}") throws -> LoadedPlugin {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) else {
            throw LoadError(code: "DLOPEN_FAILED", message: String(cString: dlerror()))
        }
        guard let symbol = dlsym(handle, RENUM_PLUGIN_ENTRY_SYMBOL) else {
            throw LoadError(code: "NO_ENTRY_SYMBOL", message: "\(path) does not export \(RENUM_PLUGIN_ENTRY_SYMBOL)")
        }
        let entry = unsafeBitCast(symbol, to: renum_plugin_entry_fn.self)
        guard let descriptor = entry() else {
            throw LoadError(code: "NULL_DESCRIPTOR", message: "\(RENUM_PLUGIN_ENTRY_SYMBOL) returned NULL")
        }
        return try load(descriptor: UnsafeRawPointer(descriptor), configuration: configuration)
    }

    /// Checks a descriptor (magic, size, ABI, functions, manifest), then calls on_init.
    public func load(descriptor raw: UnsafeRawPointer, configuration: String = "{}") throws -> LoadedPlugin {
        let magic = raw.loadUnaligned(as: UInt64.self)
        guard magic == RENUM_PLUGIN_MAGIC else {
            throw LoadError(code: "BAD_MAGIC", message: "descriptor magic is 0x\(String(magic, radix: 16)), expected 0x\(String(RENUM_PLUGIN_MAGIC, radix: 16))")
        }
        let size = raw.loadUnaligned(fromByteOffset: 8, as: Int.self)
        guard size >= Int(RENUM_PLUGIN_DESCRIPTOR_SIZE_1_0) else {
            throw LoadError(code: "DESCRIPTOR_TOO_SMALL", message: "descriptor struct_size is \(size), ABI 1.0 needs at least \(RENUM_PLUGIN_DESCRIPTOR_SIZE_1_0)")
        }
        let descriptor = raw.assumingMemoryBound(to: renum_plugin_descriptor.self).pointee
        guard renum_plugin_abi_compatible(UInt32(RENUM_PLUGIN_ABI_MAJOR), UInt32(RENUM_PLUGIN_ABI_MINOR),
                                          descriptor.abi_major, descriptor.abi_minor) != 0 else {
            throw LoadError(code: "ABI_INCOMPATIBLE", message: "plugin built for ABI \(descriptor.abi_major).\(descriptor.abi_minor); this host speaks \(RENUM_PLUGIN_ABI_MAJOR).\(RENUM_PLUGIN_ABI_MINOR) (same major and plugin minor <= host minor required)")
        }
        guard let onInit = descriptor.on_init, let onInvoke = descriptor.on_invoke,
              let onFree = descriptor.on_free, let onShutdown = descriptor.on_shutdown else {
            throw LoadError(code: "MISSING_FUNCTION", message: "descriptor has a NULL function pointer")
        }
        guard let manifestPointer = descriptor.manifest_json,
              let manifest = Optional(String(decoding: UnsafeRawBufferPointer(start: manifestPointer, count: descriptor.manifest_json_len), as: UTF8.self)),
              case .object? = try? JSONValue(json: manifest) else {
            throw LoadError(code: "BAD_MANIFEST", message: "the embedded manifest is not a JSON object")
        }
        let functions = LoadedPlugin.Functions(onInvoke: onInvoke, onFree: onFree, onShutdown: onShutdown)
        let rules = ManifestRules(manifest: manifest)

        var instance: UnsafeMutableRawPointer? = nil
        var error = renum_plugin_error()
        var config = configuration
        let result = initHost.with(self) {
            config.withUTF8 { bytes in
                onInit(fakeHostTable.pointer, bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                       bytes.count, &instance, &error)
            }
        }
        let failure = takeError(error, free: onFree)
        guard result == RENUM_PLUGIN_RESULT_OK else {
            throw LoadError(code: failure?.code ?? "INIT_FAILED",
                            message: failure?.message ?? "on_init returned \(result.rawValue)")
        }
        return LoadedPlugin(host: self, manifest: manifest, abi: (descriptor.abi_major, descriptor.abi_minor),
                            instance: instance, functions: functions, rules: rules)
    }

    // MARK: Host functions (reached from the C table through ctx)

    fileprivate func record(_ body: (inout State) -> Void) { state.withLock { body(&$0) } }

    fileprivate func answer(_ request: HTTPRequest, rules: ManifestRules) throws -> HTTPResponse {
        guard let host = URL(string: request.url)?.host, rules.allows(host: host) else {
            throw HostError(result: .denied, code: "EGRESS_DENIED",
                            message: "egress to \(URL(string: request.url)?.host ?? request.url) is not in policy.allowed_hosts")
        }
        record { $0.httpRequests.append(request) }
        return try http(request)
    }

    fileprivate func credential(_ serviceType: String, rules: ManifestRules) throws -> [String: String] {
        guard rules.declares(credential: serviceType) else {
            throw HostError(result: .denied, code: "CREDENTIAL_NOT_DECLARED",
                            message: "'\(serviceType)' is not in the manifest's required_credentials")
        }
        guard let secret = credentials[serviceType] else {
            throw HostError(result: .notFound, code: "CREDENTIAL_NOT_FOUND", message: "no '\(serviceType)' credential stored")
        }
        return secret
    }

    fileprivate var now: UInt64 { fixedNow ?? FakeHost.systemClock() }
}

/// What the manifest allows, as the fake host enforces it.
struct ManifestRules: Sendable {
    let allowedHosts: [String]
    let requiredCredentials: Set<String>

    init(manifest: String) {
        let value = (try? JSONValue(json: manifest)) ?? .null
        if case .array(let hosts)? = value["policy"]?["allowed_hosts"] {
            allowedHosts = hosts.compactMap { if case .string(let host) = $0 { return host.lowercased() } else { return nil } }
        } else {
            allowedHosts = []
        }
        var credentials = Set<String>()
        if case .array(let items)? = value["required_credentials"] {
            for item in items {
                if case .string(let name) = item { credentials.insert(name) }
                if case .string(let name)? = item["service_type"] { credentials.insert(name) }
            }
        }
        requiredCredentials = credentials
    }

    /// Exact host, "*.example.com" (any subdomain), or "*" (anything).
    func allows(host: String) -> Bool {
        let host = host.lowercased()
        return allowedHosts.contains { pattern in
            pattern == "*" || pattern == host || (pattern.hasPrefix("*.") && host.hasSuffix(pattern.dropFirst(1)))
        }
    }

    func declares(credential: String) -> Bool { requiredCredentials.contains(credential) }
}

/// A plugin instance loaded by a `FakeHost`.
public final class LoadedPlugin: @unchecked Sendable {
    struct Functions {
        let onInvoke: renum_plugin_on_invoke_fn
        let onFree: renum_plugin_on_free_fn
        let onShutdown: renum_plugin_on_shutdown_fn
    }

    /// The manifest embedded in the descriptor.
    public let manifest: String
    /// The ABI version the plugin was built for.
    public let abiVersion: (major: UInt32, minor: UInt32)

    let host: FakeHost
    let rules: ManifestRules
    private let functions: Functions
    private struct Slot: @unchecked Sendable {
        var live = false
        var pointer: UnsafeMutableRawPointer? = nil
    }
    private let instance = Mutex(Slot())

    init(host: FakeHost, manifest: String, abi: (UInt32, UInt32), instance: UnsafeMutableRawPointer?,
         functions: Functions, rules: ManifestRules) {
        self.host = host
        self.manifest = manifest
        self.abiVersion = abi
        self.functions = functions
        self.rules = rules
        self.instance.withLock { $0 = Slot(live: true, pointer: instance) }
    }

    deinit { shutdown() }

    /// Invokes a capability with raw JSON: `.success(outputJSON)` or `.failure(structured error)`.
    /// - timeoutMs: is_cancelled turns true once it elapses (0: cancelled from the start).
    public func invoke(_ capability: String, json input: String, timeoutMs: Int? = nil) -> Result<String, PluginError> {
        let slot = instance.withLock { $0 }
        guard slot.live else {
            return .failure(PluginError(code: "SHUT_DOWN", message: "the plugin was shut down"))
        }
        let call = FakeCall(plugin: self, capability: capability, timeoutMs: timeoutMs)
        let context = liveCalls.open(call)
        defer { liveCalls.close(context) }

        var out = renum_plugin_invoke_output()
        out.struct_size = MemoryLayout<renum_plugin_invoke_output>.size
        var name = capability
        var input = input
        let result = name.withUTF8 { nameBytes in
            input.withUTF8 { inputBytes in
                functions.onInvoke(slot.pointer, OpaquePointer(context),
                                   nameBytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, nameBytes.count,
                                   inputBytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, inputBytes.count,
                                   &out)
            }
        }
        var output: String? = nil
        if let buffer = out.output_json {
            output = String(decoding: UnsafeRawBufferPointer(start: buffer, count: out.output_json_len), as: UTF8.self)
            functions.onFree(buffer, out.output_json_len)
        }
        let error = takeError(out.error, free: functions.onFree)
        if result == RENUM_PLUGIN_RESULT_OK, let output { return .success(output) }
        if result == RENUM_PLUGIN_RESULT_OK {
            return .failure(PluginError(code: "NO_OUTPUT", message: "on_invoke returned OK without output"))
        }
        return .failure(error ?? PluginError(code: PluginError.pluginErrorCode, message: "on_invoke returned \(result.rawValue) without an error"))
    }

    /// Invokes a capability with Codable input and output; throws the `PluginError`.
    public func invoke<I: Encodable, O: Decodable>(_ capability: String, _ input: I, as output: O.Type = O.self,
                                                   timeoutMs: Int? = nil) throws -> O {
        let json = String(decoding: try JSONEncoder().encode(input), as: UTF8.self)
        let text = try invoke(capability, json: json, timeoutMs: timeoutMs).get()
        return try JSONDecoder().decode(O.self, from: Data(text.utf8))
    }

    /// Calls on_shutdown (once; later invokes fail with SHUT_DOWN).
    public func shutdown() {
        let slot = instance.withLock { current -> Slot in
            defer { current = Slot() }
            return current
        }
        guard slot.live else { return }
        initHost.with(host) { functions.onShutdown(slot.pointer) }
    }
}

// MARK: - The C side of the fake host

/// The FakeHost whose on_init/on_shutdown runs on this thread (for log with ctx == NULL).
private let initHost = ThreadLocal<FakeHost>()

/// One call in flight; its address is the ctx the plugin sees.
private final class FakeCall: @unchecked Sendable {
    let plugin: LoadedPlugin
    let capability: String
    let deadline: UInt64?

    init(plugin: LoadedPlugin, capability: String, timeoutMs: Int?) {
        self.plugin = plugin
        self.capability = capability
        self.deadline = timeoutMs.map { monotonicNanoseconds() + UInt64(Swift.max($0, 0)) * 1_000_000 }
    }

    var isCancelled: Bool { deadline.map { monotonicNanoseconds() >= $0 } ?? false }
}

/// The calls in flight: a ctx is honoured only while its call runs.
private final class LiveCalls: Sendable {
    private let calls = Mutex<[UInt: FakeCall]>([:])

    func open(_ call: FakeCall) -> UnsafeMutableRawPointer {
        let context = Unmanaged.passRetained(call).toOpaque()
        calls.withLock { $0[UInt(bitPattern: context)] = call }
        return context
    }

    func close(_ context: UnsafeMutableRawPointer) {
        calls.withLock { $0[UInt(bitPattern: context)] = nil }
        Unmanaged<FakeCall>.fromOpaque(context).release()
    }

    func find(_ context: OpaquePointer?) -> FakeCall? {
        guard let context else { return nil }
        return calls.withLock { $0[UInt(bitPattern: UnsafeMutableRawPointer(context))] }
    }
}

private let liveCalls = LiveCalls()

private func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

private func takeError(_ error: renum_plugin_error, free onFree: renum_plugin_on_free_fn) -> PluginError? {
    func take(_ pointer: UnsafeMutablePointer<CChar>?, _ length: Int) -> String? {
        guard let pointer else { return nil }
        defer { onFree(pointer, length) }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
    }
    let code = take(error.code, error.code_len)
    let message = take(error.message, error.message_len)
    guard code != nil || message != nil else { return nil }
    return PluginError(code: code ?? PluginError.pluginErrorCode, message: message ?? "")
}

private func cString(_ pointer: UnsafePointer<CChar>?, _ length: Int) -> String? {
    guard let pointer else { return length == 0 ? "" : nil }
    return String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
}

/// Hands a host-owned buffer (malloc) to the plugin; it comes back through free_buffer.
private func handOver(_ text: String, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                      _ outLength: UnsafeMutablePointer<Int>?) {
    guard let out, let outLength else { return }
    let bytes = Array(text.utf8)
    let buffer = malloc(Swift.max(bytes.count, 1))!.assumingMemoryBound(to: CChar.self)
    bytes.withUnsafeBytes { UnsafeMutableRawPointer(buffer).copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
    out.pointee = buffer
    outLength.pointee = bytes.count
}

private func errorJSON(_ error: HostError) -> String {
    JSONValue.object(["code": .string(error.code ?? error.pluginCode), "message": .string(error.message)]).jsonText
}

private func rawResult(_ error: HostError) -> renum_plugin_result {
    switch error.result {
    case .invalidArgument: return RENUM_PLUGIN_RESULT_INVALID_ARGUMENT
    case .denied: return RENUM_PLUGIN_RESULT_DENIED
    case .notFound: return RENUM_PLUGIN_RESULT_NOT_FOUND
    case .timeout: return RENUM_PLUGIN_RESULT_TIMEOUT
    case .cancelled: return RENUM_PLUGIN_RESULT_CANCELLED
    case .unavailable: return RENUM_PLUGIN_RESULT_UNAVAILABLE
    case .noMemory: return RENUM_PLUGIN_RESULT_NO_MEMORY
    case .other(let raw): return renum_plugin_result(rawValue: raw)
    }
}

/// A call through a ctx that is not (or no longer) live: recorded as a misuse when the
/// host can be identified, and refused.
private func staleContext(_ function: String) -> renum_plugin_result {
    initHost.value?.record { $0.misuses.append("\(function) called with a ctx that is not a live call") }
    return RENUM_PLUGIN_RESULT_INVALID_ARGUMENT
}

private func fakeLog(_ context: OpaquePointer?, _ level: renum_plugin_log_level, _ message: UnsafePointer<CChar>?, _ length: Int) {
    let text = cString(message, length) ?? ""
    let level = LogLevel(rawValue: level.rawValue) ?? .info
    if context == nil {
        initHost.value?.record { $0.logs.append(.init(level: level, message: text, capability: nil)) }
    } else if let call = liveCalls.find(context) {
        call.plugin.host.record { $0.logs.append(.init(level: level, message: text, capability: call.capability)) }
    } else {
        _ = staleContext("log")
    }
}

private func fakeHTTPRequest(_ context: OpaquePointer?, _ request: UnsafePointer<CChar>?, _ length: Int,
                             _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ outLength: UnsafeMutablePointer<Int>?) -> renum_plugin_result {
    out?.pointee = nil
    outLength?.pointee = 0
    guard let call = liveCalls.find(context) else { return staleContext("http_request") }
    guard let text = cString(request, length),
          let parsed = try? JSONDecoder().decode(HTTPRequest.self, from: Data(text.utf8)) else {
        handOver(errorJSON(HostError(result: .invalidArgument, code: "BAD_REQUEST", message: "request JSON needs at least a url")), out, outLength)
        return RENUM_PLUGIN_RESULT_INVALID_ARGUMENT
    }
    if call.isCancelled {
        handOver(errorJSON(HostError(result: .cancelled, code: "CANCELLED", message: "the call was cancelled")), out, outLength)
        return RENUM_PLUGIN_RESULT_CANCELLED
    }
    do {
        let response = try call.plugin.host.answer(parsed, rules: call.plugin.rules)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        handOver(String(decoding: try encoder.encode(response), as: UTF8.self), out, outLength)
        return RENUM_PLUGIN_RESULT_OK
    } catch let error as HostError {
        handOver(errorJSON(error), out, outLength)
        return rawResult(error)
    } catch {
        handOver(errorJSON(HostError(result: .unavailable, code: "HTTP_FAILED", message: "\(type(of: error))")), out, outLength)
        return RENUM_PLUGIN_RESULT_UNAVAILABLE
    }
}

private func fakeGetCredential(_ context: OpaquePointer?, _ serviceType: UnsafePointer<CChar>?, _ length: Int,
                               _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ outLength: UnsafeMutablePointer<Int>?) -> renum_plugin_result {
    out?.pointee = nil
    outLength?.pointee = 0
    guard let call = liveCalls.find(context) else { return staleContext("get_credential") }
    guard let name = cString(serviceType, length), !name.isEmpty else { return RENUM_PLUGIN_RESULT_INVALID_ARGUMENT }
    do {
        let secret = try call.plugin.host.credential(name, rules: call.plugin.rules)
        handOver(JSONValue.object(secret.mapValues { .string($0) }).jsonText, out, outLength)
        return RENUM_PLUGIN_RESULT_OK
    } catch let error as HostError {
        handOver(errorJSON(error), out, outLength)
        return rawResult(error)
    } catch {
        return RENUM_PLUGIN_RESULT_NOT_FOUND
    }
}

private func fakeMeter(_ context: OpaquePointer?, _ unit: UnsafePointer<CChar>?, _ length: Int, _ quantity: Double) -> renum_plugin_result {
    guard let call = liveCalls.find(context) else { return staleContext("meter") }
    guard let name = cString(unit, length), !name.isEmpty, quantity.isFinite, quantity >= 0 else {
        return RENUM_PLUGIN_RESULT_INVALID_ARGUMENT
    }
    call.plugin.host.record { $0.meters.append(.init(unit: name, quantity: quantity, capability: call.capability)) }
    return RENUM_PLUGIN_RESULT_OK
}

private func fakeIsCancelled(_ context: OpaquePointer?) -> Int32 {
    guard let call = liveCalls.find(context) else {
        _ = staleContext("is_cancelled")
        return 1
    }
    return call.isCancelled ? 1 : 0
}

private func fakeNow(_ context: OpaquePointer?) -> UInt64 {
    if let call = liveCalls.find(context) { return call.plugin.host.now }
    return initHost.value?.now ?? FakeHost.systemClock()
}

private func fakeFreeBuffer(_ buffer: UnsafeMutablePointer<CChar>?, _ length: Int) {
    free(buffer)
}

private struct FakeHostTable: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<renum_host_api>
}

private let fakeHostTable: FakeHostTable = {
    let table = UnsafeMutablePointer<renum_host_api>.allocate(capacity: 1)
    table.initialize(to: renum_host_api(
        struct_size: MemoryLayout<renum_host_api>.size,
        abi_major: UInt32(RENUM_PLUGIN_ABI_MAJOR),
        abi_minor: UInt32(RENUM_PLUGIN_ABI_MINOR),
        log: fakeLog,
        http_request: fakeHTTPRequest,
        get_credential: fakeGetCredential,
        meter: fakeMeter,
        is_cancelled: fakeIsCancelled,
        now: fakeNow,
        free_buffer: fakeFreeBuffer))
    return FakeHostTable(pointer: table)
}()
