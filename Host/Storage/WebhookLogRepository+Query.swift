import Foundation
import RenumCore

/// One webhook log row as its owner may see it: masked, never the sealed body.
public struct WebhookLogEntry: Sendable, Equatable {
    public var id: UUID
    public var requestID: String?
    public var method: String
    /// Masked headers, JSON text.
    public var headers: String
    /// Masked payload, JSON text (nil when none was kept).
    public var payload: String?
    public var statusCode: Int?
    /// accepted, retrying, processed, dead, requeued, rejected, invalid.
    public var outcome: String
    public var errorMessage: String?
    /// JSON array text.
    public var providerIDs: String
    public var responseTimeMs: Int?
    public var createdAt: String
    /// The job's state, nil for refused deliveries (they have no job).
    public var jobStatus: String?
    public var jobAttempts: Int?
}

extension WebhookLogRepository {
    /// The owner's log rows for one integration, newest first, optionally of one outcome.
    public func list(integrationID: UUID, owner: Principal, outcome: String?, limit: Int, offset: Int) throws
        -> (entries: [WebhookLogEntry], total: Int) {
        var condition = "l.integration_id = ? AND l.user_id = ?"
        var params: [SQLValue] = [.text(idText(integrationID)), .text(idText(owner.userID))]
        if let outcome { condition += " AND l.outcome = ?"; params.append(.text(outcome)) }
        return try store.read { db in
            let total = try db.queryFirst("SELECT COUNT(*) AS n FROM webhook_logs l WHERE \(condition)", params)?.int("n") ?? 0
            let rows = try db.query("""
                SELECT l.id, l.request_id, l.method, l.headers, l.payload, l.status_code, l.outcome, l.error_message,
                    l.provider_ids, l.response_time_ms, l.created_at, j.status AS job_status, j.attempts AS job_attempts
                FROM webhook_logs l LEFT JOIN jobs j ON j.webhook_log_id = l.id
                WHERE \(condition) ORDER BY l.created_at DESC, l.id DESC LIMIT ? OFFSET ?
                """, params + [.integer(Int64(max(0, limit))), .integer(Int64(max(0, offset)))])
            let entries = try rows.map { row in
                WebhookLogEntry(id: try row.uuid("id"), requestID: row.optionalString("request_id"),
                                method: try row.string("method"), headers: try row.string("headers"),
                                payload: row.optionalString("payload"), statusCode: row.optionalInt("status_code").map(Int.init),
                                outcome: try row.string("outcome"), errorMessage: row.optionalString("error_message"),
                                providerIDs: row.optionalString("provider_ids") ?? "[]",
                                responseTimeMs: row.optionalInt("response_time_ms").map(Int.init),
                                createdAt: try row.string("created_at"), jobStatus: row.optionalString("job_status"),
                                jobAttempts: row.optionalInt("job_attempts").map(Int.init))
            }
            return (entries, Int(total))
        }
    }
}
