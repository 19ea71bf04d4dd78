import Foundation
import RenumManifest
import RenumObservability

/// What the App provides to plugins through the host API: egress, credentials, logging.
///
/// Implementation requirements: thread-safe (called from plugin threads, concurrently);
/// may block (httpRequest usually does) but must honour the call's deadline; must apply
/// policy itself (the runtime passes every request through unfiltered): egress only to
/// `call.manifest.policy.allowed_hosts`, credentials only for service types in
/// `call.manifest.requiredCredentials`, and only the calling user's.
public protocol HostServices: Sendable {
    /// One HTTP request (request JSON as in renum_plugin.h); `.ok` carries the response JSON.
    func httpRequest(_ requestJSON: [UInt8], call: CallInfo) -> HostCallResult
    /// The calling user's secret JSON for `serviceType`.
    func credential(serviceType: String, call: CallInfo) -> HostCallResult
    /// One log line from the plugin; `call` is nil during on_init / on_shutdown.
    func log(_ level: PluginLogLevel, _ message: String, call: CallInfo?)
}

/// The answer to a plugin's host request, mapped onto renum_plugin_result and its error JSON.
public enum HostCallResult: Sendable, Equatable {
    /// RENUM_PLUGIN_RESULT_OK with the response JSON (owned by the plugin from then on).
    case ok([UInt8])
    /// RENUM_PLUGIN_RESULT_DENIED: policy refused.
    case denied(code: String, message: String)
    /// RENUM_PLUGIN_RESULT_NOT_FOUND: e.g. no credential stored.
    case notFound
    /// RENUM_PLUGIN_RESULT_UNAVAILABLE: network failure.
    case failed(code: String, message: String)
    /// RENUM_PLUGIN_RESULT_TIMEOUT.
    case timeout
}

/// Plugin log levels (renum_plugin_log_level).
public enum PluginLogLevel: Int32, Sendable, CaseIterable {
    /// RENUM_PLUGIN_LOG_TRACE.
    case trace = 0
    /// RENUM_PLUGIN_LOG_DEBUG.
    case debug = 1
    /// RENUM_PLUGIN_LOG_INFO.
    case info = 2
    /// RENUM_PLUGIN_LOG_WARNING.
    case warning = 3
    /// RENUM_PLUGIN_LOG_ERROR.
    case error = 4

    /// The host logger's level for this one (trace folds into debug).
    public var logLevel: LogLevel {
        switch self {
        case .trace, .debug: return .debug
        case .info: return .info
        case .warning: return .warning
        case .error: return .error
        }
    }
}

/// Who and what one invocation is for; handed to `HostServices` on every host request.
public struct CallInfo: Sendable {
    /// The agent.
    public let agentID: String
    /// The version running the call.
    public let version: SemanticVersion
    /// The capability invoked.
    public let capability: String
    /// The calling user, when there is one.
    public let userID: UUID?
    /// The request id, for logs.
    public let requestID: String?
    /// The running version's manifest (its policy is what the services enforce).
    public let manifest: PluginManifest

    /// Creates call information.
    public init(agentID: String, version: SemanticVersion, capability: String, userID: UUID?, requestID: String?, manifest: PluginManifest) {
        self.agentID = agentID
        self.version = version
        self.capability = capability
        self.userID = userID
        self.requestID = requestID
        self.manifest = manifest
    }
}

/// Who is calling, as the HTTP layer knows it; the runtime adds agent, version, capability.
public struct CallerContext: Sendable {
    /// The calling user, when there is one.
    public let userID: UUID?
    /// The request id, for logs.
    public let requestID: String?

    /// Creates a caller context.
    public init(userID: UUID? = nil, requestID: String? = nil) {
        self.userID = userID
        self.requestID = requestID
    }
}

/// The policy for a host without egress or a vault: every HTTP request is denied, every
/// credential is denied (undeclared) or not found, and plugin logs go to the host logger.
public struct DenyAllHostServices: HostServices {
    let logger: Logger

    /// Logs plugin lines to `logger`.
    public init(logger: Logger) { self.logger = logger }

    /// Always `.denied(EGRESS_DENIED)`.
    public func httpRequest(_ requestJSON: [UInt8], call: CallInfo) -> HostCallResult {
        .denied(code: "EGRESS_DENIED", message: "this host allows no egress")
    }

    /// `.denied` for a service type the manifest does not declare, `.notFound` otherwise.
    public func credential(serviceType: String, call: CallInfo) -> HostCallResult {
        guard call.manifest.requiredCredentials.contains(serviceType) else {
            return .denied(code: "CREDENTIAL_NOT_DECLARED", message: "'\(serviceType)' is not in the manifest's required_credentials")
        }
        return .notFound
    }

    /// Writes the line to the logger, tagged with the call.
    public func log(_ level: PluginLogLevel, _ message: String, call: CallInfo?) {
        guard logger.isEnabled(level.logLevel) else { return }
        var fields: [String: String] = [:]
        if let call {
            fields = ["agent_id": call.agentID, "version": call.version.description, "capability": call.capability]
            if let requestID = call.requestID { fields["request_id"] = requestID }
        }
        logger.log(level.logLevel, message, fields)
    }
}
