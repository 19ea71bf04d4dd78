// The Swift SDK over renum_plugin.h: plugin authors write one type conforming to
// `RenumPlugin` and export it with one line:
//
//     @_cdecl("renum_plugin_entry")
//     public func renumPluginEntry() -> UnsafeRawPointer { RenumPluginExport.descriptor(for: MyPlugin.self) }
//
// The SDK owns the C glue (Export.swift), the memory rules and the error mapping.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A Renum subagent plugin. One value is created per host instance (`init`), then its
/// capabilities are invoked, possibly concurrently from several threads (unless the
/// manifest's `policy.max_concurrency` is 1): hence `Sendable`.
public protocol RenumPlugin: Sendable {
    /// The manifest JSON (agent_id, version, capabilities, policy, …), embedded in the
    /// descriptor. It must agree with the manifest registered for this version.
    static var manifest: String { get }

    /// Creates an instance. `host` offers what is available outside a call (log, clock).
    /// Throw a `PluginError` to refuse the configuration (its code reaches the host).
    init(configuration: PluginConfiguration, host: PluginHost) throws

    /// The capabilities, by name. Called once per instance, right after `init`.
    func capabilities() -> [Capability]

    /// Called once when the host shuts the instance down, after every call returned.
    func shutdown()
}

extension RenumPlugin {
    public func shutdown() {}
}

/// The instance's configuration, a JSON object ("{}" when none).
public struct PluginConfiguration: Sendable {
    /// The configuration JSON text as the host passed it.
    public let json: String

    public init(json: String) { self.json = json }

    /// Decodes the configuration; a failure becomes a thrown `PluginError` with code `INVALID_CONFIG`.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(json.utf8))
        } catch {
            throw PluginError(code: "INVALID_CONFIG", message: "the configuration does not match \(T.self): \(describeDecodingError(error))")
        }
    }
}

/// A structured plugin error: it crosses the ABI as `renum_plugin_error` and keeps its code.
public struct PluginError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable, machine-readable code, e.g. "EXAMPLE_FAILURE".
    public let code: String
    /// A human-readable message, shown to the caller: never put secrets in it.
    public let message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    /// The input did not decode into the capability's input type.
    public static let invalidInputCode = "INVALID_INPUT"
    /// The capability name is not one of the plugin's.
    public static let unknownCapabilityCode = "UNKNOWN_CAPABILITY"
    /// Any thrown error that is neither a `PluginError` nor a `HostError`.
    public static let pluginErrorCode = "PLUGIN_ERROR"
}

/// Log levels, as `renum_plugin_log_level`.
public enum LogLevel: UInt32, Sendable, Codable, CaseIterable {
    case trace = 0, debug, info, warning, error
}

/// One capability: a name and its handler. Handlers are synchronous and may block
/// (the host runs them on threads that may block); poll `context.isCancelled` in long work.
public struct Capability: Sendable {
    public let name: String
    let handler: @Sendable (UnsafeRawBufferPointer, CallContext) throws -> [UInt8]

    /// A capability with Codable input and output. Input that does not decode into `I`
    /// fails with `INVALID_INPUT`; the output is encoded as JSON.
    public static func typed<I: Decodable & SendableMetatype, O: Encodable & SendableMetatype>(
        _ name: String, _ handler: @escaping @Sendable (I, CallContext) throws -> O
    ) -> Capability {
        Capability(name: name) { bytes, context in
            let input: I
            do {
                input = try JSONDecoder().decode(I.self, from: Data(bytes))
            } catch {
                throw PluginError(code: PluginError.invalidInputCode,
                                  message: "input does not match \(I.self): \(describeDecodingError(error))")
            }
            let output = try handler(input, context)
            return Array(try JSONEncoder().encode(output))
        }
    }

    /// A capability over raw JSON text: no decoding or encoding (the fastest path).
    /// The handler must return valid JSON.
    public static func raw(
        _ name: String, _ handler: @escaping @Sendable (String, CallContext) throws -> String
    ) -> Capability {
        Capability(name: name) { bytes, context in
            Array(try handler(String(decoding: bytes, as: UTF8.self), context).utf8)
        }
    }
}

/// Input for capabilities that take none (any JSON object decodes into it).
public struct NoInput: Codable, Sendable, Equatable {
    public init() {}
}

/// A readable, secret-free description of a decoding error (paths and kinds, no values).
func describeDecodingError(_ error: any Error) -> String {
    func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.isEmpty ? "the top level" : codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
    guard let error = error as? DecodingError else { return "not valid JSON" }
    switch error {
    case .keyNotFound(let key, let context):
        return "missing key '\(key.stringValue)' at \(path(context.codingPath))"
    case .typeMismatch(let type, let context):
        return "expected \(type) at \(path(context.codingPath))"
    case .valueNotFound(let type, let context):
        return "expected \(type) at \(path(context.codingPath)), found null"
    case .dataCorrupted(let context):
        return context.codingPath.isEmpty ? "not valid JSON" : "invalid value at \(path(context.codingPath))"
    @unknown default:
        return "does not decode"
    }
}
