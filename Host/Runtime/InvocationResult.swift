import Foundation
import RenumCore
import RenumManifest

/// What one invocation cost.
public struct Metering: Sendable, Equatable {
    /// Wall time of the call, monotonic nanoseconds (for the whole invoke, checks included).
    public var wallNanoseconds: UInt64
    /// CPU time the calling plugin thread spent in on_invoke (CLOCK_THREAD_CPUTIME_ID);
    /// threads the plugin starts itself are not counted. See `cpuMeasured`.
    public var cpuNanoseconds: UInt64
    /// True when `cpuNanoseconds` was read from the thread CPU clock. False for calls of a
    /// capability whose recent calls took under `CPUSampler.threshold` (20 µs): reading the
    /// clock costs two syscalls, more than such a call, so the on_invoke wall time stands
    /// in (exact unless the thread was preempted; an upper bound otherwise).
    public var cpuMeasured: Bool
    /// HTTP requests the plugin made through the host.
    public var egressRequests: Int
    /// Request body bytes sent out.
    public var egressBytesOut: Int
    /// Response body bytes received.
    public var egressBytesIn: Int
    /// Host API calls made during the call (every function but free_buffer).
    public var hostCalls: Int
    /// Units the plugin reported with meter(), summed per unit.
    public var units: [String: Double]
    /// cost_per_execution + Σ units × unit_prices (see `PluginManifest.cost(units:)`).
    public var cost: Double
    /// Peak resident memory of the worker process that ran the call (process isolation only:
    /// in the host, one plugin's memory cannot be told apart from the host's).
    public var peakMemoryBytes: UInt64?

    /// A metering record.
    public init(wallNanoseconds: UInt64 = 0, cpuNanoseconds: UInt64 = 0, cpuMeasured: Bool = false, egressRequests: Int = 0, egressBytesOut: Int = 0,
                egressBytesIn: Int = 0, hostCalls: Int = 0, units: [String: Double] = [:], cost: Double = 0) {
        self.wallNanoseconds = wallNanoseconds
        self.cpuNanoseconds = cpuNanoseconds
        self.cpuMeasured = cpuMeasured
        self.egressRequests = egressRequests
        self.egressBytesOut = egressBytesOut
        self.egressBytesIn = egressBytesIn
        self.hostCalls = hostCalls
        self.units = units
        self.cost = cost
    }

    /// The metering as a JSON object (for the invoke response and execution records).
    public var json: JSONValue {
        var fields: [String: JSONValue] = [
            "wall_ns": .number(Double(wallNanoseconds)), "cpu_ns": .number(Double(cpuNanoseconds)), "cpu_measured": .bool(cpuMeasured),
            "egress_requests": .number(Double(egressRequests)), "egress_bytes_out": .number(Double(egressBytesOut)),
            "egress_bytes_in": .number(Double(egressBytesIn)), "host_calls": .number(Double(hostCalls)),
            "units": .object(units.mapValues { .number($0) }), "cost": .number(cost),
        ]
        if let peakMemoryBytes { fields["peak_memory_bytes"] = .number(Double(peakMemoryBytes)) }
        return .object(fields)
    }
}

/// How an invocation ended.
public enum InvocationOutcome: Sendable, Equatable {
    /// The output JSON (UTF-8), valid against the capability's output_schema.
    case success([UInt8])
    /// A refusal or failure: a stable code (the plugin's own for plugin errors), a message
    /// safe to show, and details (e.g. validation errors as [{pointer, message}]).
    case failure(code: String, message: String, details: JSONValue?)

    /// "OK" for success, the failure's code otherwise.
    public var code: String {
        switch self {
        case .success: return "OK"
        case .failure(let code, _, _): return code
        }
    }
}

/// The result of one invocation: outcome and metering, and the version that answered.
public struct InvocationResult: Sendable {
    /// Success or failure.
    public let outcome: InvocationOutcome
    /// What the call cost (zeros when the plugin was never called).
    public let metering: Metering
    /// The version that handled (or refused) the call, when one was found.
    public let version: SemanticVersion?

    /// Creates a result.
    public init(outcome: InvocationOutcome, metering: Metering = Metering(), version: SemanticVersion? = nil) {
        self.outcome = outcome
        self.metering = metering
        self.version = version
    }

    /// The output bytes on success.
    public var output: [UInt8]? {
        if case .success(let bytes) = outcome { return bytes }
        return nil
    }

    static func failure(_ code: String, _ message: String, details: JSONValue? = nil,
                        metering: Metering = Metering(), version: SemanticVersion? = nil) -> InvocationResult {
        InvocationResult(outcome: .failure(code: code, message: message, details: details), metering: metering, version: version)
    }
}

/// Why a plugin was refused at load time (see `PluginLoader` for the codes, in check order).
public struct LoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// DIGEST_MISMATCH, NOT_A_LIBRARY, LOAD_FAILED, NO_ENTRY_SYMBOL, BAD_MAGIC,
    /// DESCRIPTOR_TOO_SMALL, ABI_INCOMPATIBLE, MISSING_FUNCTION, BAD_MANIFEST,
    /// MANIFEST_MISMATCH, INIT_FAILED (also VERSION_EXISTS from `AgentRuntime.load`).
    public let code: String
    /// A readable explanation.
    public let message: String

    /// Creates a load error.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// "CODE: message".
    public var description: String { "\(code): \(message)" }
}

/// Why a runtime operation (activate, retire) was refused.
public struct RuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// AGENT_NOT_FOUND, VERSION_NOT_FOUND, VERSION_ACTIVE.
    public let code: String
    /// A readable explanation.
    public let message: String

    /// Creates a runtime error.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// "CODE: message".
    public var description: String { "\(code): \(message)" }
}

/// One finished invocation, for observers (execution records, Prometheus metrics).
public struct InvocationRecord: Sendable {
    /// The agent called.
    public let agentID: String
    /// The version that handled it (nil when none was found).
    public let version: SemanticVersion?
    /// The capability called.
    public let capability: String
    /// The calling user.
    public let userID: UUID?
    /// The request id.
    public let requestID: String?
    /// "OK" or the failure code.
    public let outcomeCode: String
    /// What it cost.
    public let metering: Metering

    /// A record, for executors other than `AgentRuntime` (worker processes) to report theirs.
    public init(agentID: String, version: SemanticVersion?, capability: String, userID: UUID?, requestID: String?,
                outcomeCode: String, metering: Metering) {
        self.agentID = agentID
        self.version = version
        self.capability = capability
        self.userID = userID
        self.requestID = requestID
        self.outcomeCode = outcomeCode
        self.metering = metering
    }
}

/// Told about every invocation `AgentRuntime` finishes.
///
/// Implementation requirements: thread-safe and quick (called on the plugin thread or
/// the timeout timer, after the caller has its answer is not guaranteed): hand off slow work.
public protocol InvocationObserver: Sendable {
    /// One invocation finished (including refusals and timeouts).
    func invocationFinished(_ record: InvocationRecord)
}
