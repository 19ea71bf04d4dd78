import Synchronization
import RenumCore
import RenumJSONSchema
import RenumManifest
import RenumObservability

/// One initialised plugin instance from a checked image: invoke it synchronously.
///
/// `invoke` runs on the caller's thread and may block as long as the plugin does; the
/// async, timed, concurrency-limited path is `AgentRuntime`. Calling `invoke` from several
/// threads at once is allowed when the manifest's max_concurrency > 1 (the ABI's rule).
public final class LoadedPlugin: Sendable {
    /// The registry's manifest for this version (checked to agree with the embedded one).
    public let manifest: PluginManifest
    /// The ABI version the plugin was built for.
    public let abiVersion: (major: UInt32, minor: UInt32)
    /// The artifact it was loaded from.
    public let artifactPath: String

    let context: PluginContext
    let functions: PluginFunctions
    let entries: [String: CapabilityEntry]
    private let isShutDown = Atomic<Bool>(false)

    init(manifest: PluginManifest, abi: (UInt32, UInt32), artifactPath: String, context: PluginContext, functions: PluginFunctions) {
        self.manifest = manifest
        self.abiVersion = abi
        self.artifactPath = artifactPath
        self.context = context
        self.functions = functions
        var entries: [String: CapabilityEntry] = [:]
        for capability in manifest.capabilities { entries[capability.name] = CapabilityEntry(capability) }
        self.entries = entries
    }

    /// Runs `capability` on `input` (JSON bytes) for the call described by `call`.
    public func invoke(capability: String, input: [UInt8], call: CallInfo) -> InvocationResult {
        invoke(capability: capability, input: input, caller: CallerContext(userID: call.userID, requestID: call.requestID))
    }

    /// Runs `capability` on `input` (JSON bytes): checks the capability and input, calls
    /// on_invoke, frees the plugin's buffers, maps its error, checks the output, meters.
    public func invoke(capability: String, input: [UInt8], caller: CallerContext = CallerContext()) -> InvocationResult {
        invoke(capability: capability, input: input, caller: caller, cancellation: nil)
    }

    func invoke(capability: String, input: [UInt8], caller: CallerContext, cancellation: CancellationFlag?) -> InvocationResult {
        let start = Clock.monotonicNanoseconds()
        guard let entry = entries[capability] else {
            return .failure("UNKNOWN_CAPABILITY", "\(manifest.agentID) \(manifest.version) has no capability '\(capability)'", version: manifest.version)
        }
        if let refusal = entry.checkInput(input) {
            return InvocationResult(outcome: refusal, version: manifest.version)
        }
        guard !isShutDown.load(ordering: .acquiring) else {
            return .failure("VERSION_NOT_FOUND", "\(manifest.agentID) \(manifest.version) has been shut down", version: manifest.version)
        }
        let raw = call(entry, input: input, caller: caller, cancellation: cancellation)
        let outcome = raw.outcome ?? entry.checkOutput(raw.output)
        var metering = raw.metering
        metering.wallNanoseconds = Clock.monotonicNanoseconds() &- start
        metering.cost = manifest.cost(units: metering.units)
        return InvocationResult(outcome: outcome, metering: metering, version: manifest.version)
    }

    /// Calls on_shutdown once. Only when no invoke is running (AgentRuntime.retire drains first);
    /// the image stays mapped (never dlclosed).
    public func shutdown() {
        guard !isShutDown.exchange(true, ordering: .acquiringAndReleasing) else { return }
        functions.shutdown(context: context)
    }
}

/// A capability's name and schemas, prepared for the hot path.
struct CapabilityEntry: Sendable {
    let capabilityName: String
    let name: [UInt8]
    let inputSchema: JSONSchema
    let outputSchema: JSONSchema
    /// `{}` or `true`: anything goes, so a syntax check (no allocation) is enough.
    let inputAcceptsAll: Bool
    let outputAcceptsAll: Bool
    let cpu = CPUSampler()

    init(_ capability: PluginManifest.Capability) {
        capabilityName = capability.name
        name = Array(capability.name.utf8)
        inputSchema = capability.inputSchema
        outputSchema = capability.outputSchema
        inputAcceptsAll = Self.acceptsAll(capability.inputSchemaJSON)
        outputAcceptsAll = Self.acceptsAll(capability.outputSchemaJSON)
    }

    static func acceptsAll(_ schema: JSONValue) -> Bool {
        schema == .bool(true) || schema == .object([:])
    }

    /// INVALID_INPUT with the validation errors, or nil when the input may go to the plugin.
    func checkInput(_ input: [UInt8]) -> InvocationOutcome? {
        check(input, inputSchema, acceptsAll: inputAcceptsAll, code: "INVALID_INPUT", what: "input")
    }

    /// The success outcome, or INVALID_OUTPUT when the plugin broke its output_schema.
    func checkOutput(_ output: [UInt8]) -> InvocationOutcome {
        check(output, outputSchema, acceptsAll: outputAcceptsAll, code: "INVALID_OUTPUT", what: "output") ?? .success(output)
    }

    private func check(_ bytes: [UInt8], _ schema: JSONSchema, acceptsAll: Bool, code: String, what: String) -> InvocationOutcome? {
        if acceptsAll {
            return JSONParser.isWellFormed(bytes) ? nil : .failure(code: code, message: "\(what) is not valid JSON", details: nil)
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            return .failure(code: code, message: "\(what) is not valid JSON: \(error.description)", details: nil)
        }
        let errors = schema.validate(value)
        guard !errors.isEmpty else { return nil }
        let details = JSONValue.array(errors.map { .object(["pointer": .string($0.instancePath), "message": .string($0.message),
                                                             "keyword": .string($0.keyword)]) })
        return .failure(code: code, message: "\(what) does not match the capability's \(what)_schema: "
                        + errors.map(\.description).joined(separator: "; "), details: details)
    }
}
