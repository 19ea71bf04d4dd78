// The C glue: the static descriptor and the @convention(c) trampolines behind it.
//
// Everything here is internal or private to the plugin image: a Swift plugin links
// this SDK statically, so two plugins (or two versions of one plugin) loaded side by
// side with RTLD_LOCAL each have their own copy of this state.
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

/// Exports a `RenumPlugin` type through the C ABI. In the plugin's source, the one line:
///
///     @_cdecl("renum_plugin_entry")
///     public func renumPluginEntry() -> UnsafeRawPointer { RenumPluginExport.descriptor(for: MyPlugin.self) }
public enum RenumPluginExport {
    /// The `renum_plugin_descriptor` for `type`: allocated on first use, never freed
    /// (plugin images are never unloaded in process), the same pointer on every call.
    /// The first type passed here is the one the descriptor's on_init instantiates.
    public static func descriptor<P: RenumPlugin>(for type: P.Type) -> UnsafeRawPointer {
        UnsafeRawPointer(registration(for: type).descriptor)
    }

    /// ABI version this SDK was built against.
    public static var abiVersion: (major: UInt32, minor: UInt32) {
        (UInt32(RENUM_PLUGIN_ABI_MAJOR), UInt32(RENUM_PLUGIN_ABI_MINOR))
    }

    static func registration<P: RenumPlugin>(for type: P.Type) -> Registration {
        registrations.withLock { state in
            let id = ObjectIdentifier(type)
            if let existing = state.byType[id] { return existing }
            let registration = Registration(type: type, descriptor: makeDescriptor(manifest: P.manifest))
            state.byType[id] = registration
            if state.entryType == nil { state.entryType = type }
            return registration
        }
    }
}

struct Registration: @unchecked Sendable {
    let type: any RenumPlugin.Type
    let descriptor: UnsafeMutablePointer<renum_plugin_descriptor>
}

private struct RegistrationState: @unchecked Sendable {
    var byType: [ObjectIdentifier: Registration] = [:]
    var entryType: (any RenumPlugin.Type)?
}

private let registrations = Mutex(RegistrationState())

/// The type on_init instantiates on this thread, when the FakeHost says (several
/// plugin types in one test process); otherwise the image's entry type.
let initTypeOverride = ThreadLocal<TypeBox>()

final class TypeBox: Sendable {
    let type: any RenumPlugin.Type
    init(_ type: any RenumPlugin.Type) { self.type = type }
}

/// A per-thread slot holding a class instance (unretained: the setter keeps it alive).
final class ThreadLocal<Value: AnyObject>: @unchecked Sendable {
    private var key = pthread_key_t()

    init() { pthread_key_create(&key, nil) }

    var value: Value? {
        get { pthread_getspecific(key).map { Unmanaged<Value>.fromOpaque($0).takeUnretainedValue() } }
        set { pthread_setspecific(key, newValue.map { Unmanaged.passUnretained($0).toOpaque() }) }
    }

    func with<T>(_ value: Value, _ body: () throws -> T) rethrows -> T {
        let previous = self.value
        self.value = value
        defer { self.value = previous }
        return try withExtendedLifetime(value) { try body() }
    }
}

private func makeDescriptor(manifest: String) -> UnsafeMutablePointer<renum_plugin_descriptor> {
    let bytes = Array(manifest.utf8)
    let text = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
    bytes.withUnsafeBufferPointer { source in
        UnsafeMutableRawPointer(text).copyMemory(from: source.baseAddress!, byteCount: bytes.count)
    }
    text[bytes.count] = 0
    let descriptor = UnsafeMutablePointer<renum_plugin_descriptor>.allocate(capacity: 1)
    descriptor.initialize(to: renum_plugin_descriptor(
        magic: RENUM_PLUGIN_MAGIC,
        struct_size: MemoryLayout<renum_plugin_descriptor>.size,
        abi_major: UInt32(RENUM_PLUGIN_ABI_MAJOR),
        abi_minor: UInt32(RENUM_PLUGIN_ABI_MINOR),
        manifest_json: UnsafePointer(text),
        manifest_json_len: bytes.count,
        on_init: sdkOnInit,
        on_invoke: sdkOnInvoke,
        on_free: sdkOnFree,
        on_shutdown: sdkOnShutdown))
    return descriptor
}

/// One instance: the plugin value and its capabilities by name (immutable, so on_invoke
/// is thread-safe as long as the plugin's handlers are).
final class PluginInstance: Sendable {
    let plugin: any RenumPlugin
    let host: HostTable
    let capabilities: [String: Capability]

    init(plugin: any RenumPlugin, host: HostTable) {
        self.plugin = plugin
        self.host = host
        var byName: [String: Capability] = [:]
        for capability in plugin.capabilities() { byName[capability.name] = capability }
        self.capabilities = byName
    }
}

// MARK: - Buffers handed to the host (malloc here, free in on_free)

private func mallocCopy<C: Collection<UInt8>>(_ bytes: C) -> (UnsafeMutablePointer<CChar>, Int)? {
    guard let raw = malloc(Swift.max(bytes.count, 1)) else { return nil }
    let buffer = UnsafeMutableRawBufferPointer(start: raw, count: bytes.count)
    _ = buffer.initializeMemory(as: UInt8.self, from: bytes)
    return (raw.assumingMemoryBound(to: CChar.self), bytes.count)
}

private func setError(_ error: UnsafeMutablePointer<renum_plugin_error>, code: String, message: String) -> renum_plugin_result {
    guard let codeBuffer = mallocCopy(code.utf8) else { return RENUM_PLUGIN_RESULT_NO_MEMORY }
    guard let messageBuffer = mallocCopy(message.utf8) else {
        free(codeBuffer.0)
        return RENUM_PLUGIN_RESULT_NO_MEMORY
    }
    error.pointee.code = codeBuffer.0
    error.pointee.code_len = codeBuffer.1
    error.pointee.message = messageBuffer.0
    error.pointee.message_len = messageBuffer.1
    return RENUM_PLUGIN_RESULT_ERROR
}

/// Maps any thrown error to (code, message): PluginError keeps its code, HostError
/// becomes its pluginCode, anything else PLUGIN_ERROR with a message naming only its type.
func errorCodeAndMessage(_ error: any Error, during what: String) -> (String, String) {
    switch error {
    case let error as PluginError: return (error.code, error.message)
    case let error as HostError: return (error.pluginCode, error.message)
    default: return (PluginError.pluginErrorCode, "\(what) failed with an unexpected error (\(type(of: error)))")
    }
}

private func text(_ pointer: UnsafePointer<CChar>?, _ length: Int) -> String {
    guard let pointer, length > 0 else { return "" }
    return String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
}

// MARK: - Trampolines (the functions the descriptor points to)

private func sdkOnInit(
    _ host: UnsafePointer<renum_host_api>?, _ config: UnsafePointer<CChar>?, _ configLength: Int,
    _ outInstance: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ outError: UnsafeMutablePointer<renum_plugin_error>?
) -> renum_plugin_result {
    guard let outInstance, let outError else { return RENUM_PLUGIN_RESULT_INVALID_ARGUMENT }
    guard let host, host.pointee.struct_size >= Int(RENUM_HOST_API_SIZE_1_0),
          renum_plugin_abi_compatible(host.pointee.abi_major, host.pointee.abi_minor,
                                      UInt32(RENUM_PLUGIN_ABI_MAJOR), UInt32(RENUM_PLUGIN_ABI_MINOR)) != 0 else {
        return setError(outError, code: "INVALID_HOST", message: "the host table is missing or its ABI is incompatible")
    }
    guard let type = initTypeOverride.value?.type ?? registrations.withLock({ $0.entryType }) else {
        return setError(outError, code: "INVALID_PLUGIN", message: "no plugin type registered with RenumPluginExport")
    }
    let table = HostTable(api: host)
    let configuration = PluginConfiguration(json: configLength > 0 ? text(config, configLength) : "{}")
    do {
        let plugin = try type.init(configuration: configuration, host: PluginHost(table: table))
        let instance = PluginInstance(plugin: plugin, host: table)
        outInstance.pointee = Unmanaged.passRetained(instance).toOpaque()
        return RENUM_PLUGIN_RESULT_OK
    } catch {
        let (code, message) = errorCodeAndMessage(error, during: "init")
        return setError(outError, code: code, message: message)
    }
}

private func sdkOnInvoke(
    _ opaque: UnsafeMutableRawPointer?, _ context: OpaquePointer?,
    _ capability: UnsafePointer<CChar>?, _ capabilityLength: Int,
    _ input: UnsafePointer<CChar>?, _ inputLength: Int,
    _ out: UnsafeMutablePointer<renum_plugin_invoke_output>?
) -> renum_plugin_result {
    guard let opaque, let out else { return RENUM_PLUGIN_RESULT_INVALID_ARGUMENT }
    let instance = Unmanaged<PluginInstance>.fromOpaque(opaque).takeUnretainedValue()
    let name = text(capability, capabilityLength)
    guard let handler = instance.capabilities[name] else {
        return setError(&out.pointee.error, code: PluginError.unknownCapabilityCode,
                        message: "no capability named '\(name)'")
    }
    let callContext = CallContext(table: instance.host, context: context, capability: name)
    do {
        let output = try handler.handler(UnsafeRawBufferPointer(start: input, count: input == nil ? 0 : inputLength), callContext)
        guard let (buffer, length) = mallocCopy(output) else { return RENUM_PLUGIN_RESULT_NO_MEMORY }
        out.pointee.output_json = buffer
        out.pointee.output_json_len = length
        return RENUM_PLUGIN_RESULT_OK
    } catch {
        let (code, message) = errorCodeAndMessage(error, during: "capability '\(name)'")
        return setError(&out.pointee.error, code: code, message: message)
    }
}

private func sdkOnFree(_ buffer: UnsafeMutablePointer<CChar>?, _ length: Int) {
    free(buffer)
}

private func sdkOnShutdown(_ opaque: UnsafeMutableRawPointer?) {
    guard let opaque else { return }
    let instance = Unmanaged<PluginInstance>.fromOpaque(opaque).takeRetainedValue()
    instance.plugin.shutdown()
}
