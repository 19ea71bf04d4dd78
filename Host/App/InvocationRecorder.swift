import Foundation
import RenumCore
import RenumObservability
import RenumRuntime
import RenumStorage

/// Stores every invocation's metering and exports it to /metrics, per agent and version.
///
/// Rows go through the group-committing writer off the plugin thread, so recording never
/// lengthens a call; a row that fails to store is logged, never retried into the caller.
final class InvocationRecorder: InvocationObserver {
    let store: any Store
    let metrics: MetricsRegistry
    let logger: Logger

    static let calls = "renum_plugin_invocations_total"
    static let seconds = "renum_plugin_invocation_seconds"
    static let cpuSeconds = "renum_plugin_cpu_seconds_total"
    static let cost = "renum_plugin_cost_total"
    static let egressBytes = "renum_plugin_egress_bytes_total"

    init(store: any Store, metrics: MetricsRegistry, logger: Logger) {
        self.store = store
        self.metrics = metrics
        self.logger = logger
        metrics.declare(Self.calls, help: "Plugin invocations by agent, version and outcome code.", kind: .counter)
        metrics.declare(Self.seconds, help: "Wall time of plugin invocations by agent and version.", kind: .histogram)
        metrics.declare(Self.cpuSeconds, help: "CPU time spent in plugin invocations by agent and version.", kind: .counter)
        metrics.declare(Self.cost, help: "Cost charged for plugin invocations by agent and version.", kind: .counter)
        metrics.declare(Self.egressBytes, help: "Egress bytes of plugin invocations by agent, version and direction.", kind: .counter)
    }

    func invocationFinished(_ record: InvocationRecord) {
        let version = record.version?.description ?? "none"
        let labels = [("agent", record.agentID), ("version", version)]
        let m = record.metering
        metrics.increment(Self.calls, labels + [("outcome", record.outcomeCode)])
        metrics.observe(Self.seconds, labels, Double(m.wallNanoseconds) / 1e9)
        metrics.increment(Self.cpuSeconds, labels, by: Double(m.cpuNanoseconds) / 1e9)
        if m.cost > 0 { metrics.increment(Self.cost, labels, by: m.cost) }
        if m.egressBytesOut > 0 { metrics.increment(Self.egressBytes, labels + [("direction", "out")], by: Double(m.egressBytesOut)) }
        if m.egressBytesIn > 0 { metrics.increment(Self.egressBytes, labels + [("direction", "in")], by: Double(m.egressBytesIn)) }
        guard record.version != nil else { return }   // refused before any version: nothing ran, nothing to bill
        let store = self.store, logger = self.logger
        let row: [SQLValue] = [
            .text(UUID.timeOrdered().lowercasedString), .optional(record.userID?.lowercasedString), .text(record.agentID), .text(version),
            .text(record.capability), .optional(record.requestID), .text(record.outcomeCode),
            .integer(Int64(clamping: m.wallNanoseconds)), .integer(Int64(clamping: m.cpuNanoseconds)),
            .integer(Int64(m.egressRequests)), .integer(Int64(m.egressBytesOut)), .integer(Int64(m.egressBytesIn)),
            .integer(Int64(m.hostCalls)), .text(JSONText.encode(.object(m.units.mapValues(JSONValue.number)))), .real(m.cost),
            m.peakMemoryBytes.map { .integer(Int64(clamping: $0)) } ?? .null, .text(Timestamp.now()),
        ]
        Task {
            do {
                try await store.write { db in
                    try db.execute("""
                        INSERT INTO plugin_invocations (id, user_id, agent_id, agent_version, capability, request_id, outcome,
                            wall_ns, cpu_ns, egress_requests, egress_bytes_out, egress_bytes_in, host_calls, units, cost,
                            peak_memory_bytes, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, row)
                }
            } catch {
                logger.error("could not store an invocation record", ["agent_id": record.agentID, "request_id": record.requestID ?? "-"])
            }
        }
    }
}
