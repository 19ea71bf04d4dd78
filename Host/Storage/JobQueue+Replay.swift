import Foundation
import RenumCore

/// Which finished jobs of one integration to run again.
public enum ReplaySelection: Sendable, Equatable {
    /// Every dead letter.
    case deadLetters
    /// The job of one webhook log row, whether it is dead or done.
    case log(UUID)
    /// Jobs of requests received in [from, to] (UTC ISO-8601), dead or done.
    case range(from: String, to: String)
}

extension JobQueue {
    /// Re-enqueues the owner's finished jobs that `selection` names, with a fresh attempt budget;
    /// returns how many. Jobs still queued or leased are left alone: they will run anyway.
    public func replay(_ selection: ReplaySelection, integrationID: UUID, owner: Principal, now: String) async throws -> Int {
        let scope: [SQLValue] = [.text(idText(integrationID)), .text(idText(owner.userID))]
        let filter: String, extra: [SQLValue]
        switch selection {
        case .deadLetters:
            filter = "status = 'dead'"; extra = []
        case .log(let logID):
            filter = "status IN ('dead', 'done') AND webhook_log_id = ?"; extra = [.text(idText(logID))]
        case .range(let from, let to):
            filter = "status IN ('dead', 'done') AND created_at >= ? AND created_at <= ?"; extra = [.text(from), .text(to)]
        }
        let condition = "integration_id = ? AND user_id = ? AND \(filter)"
        return try await store.write { db in
            try db.execute("""
                UPDATE webhook_logs SET outcome = 'requeued', error_message = NULL
                WHERE id IN (SELECT webhook_log_id FROM jobs WHERE \(condition))
                """, scope + extra)
            return try db.execute("""
                UPDATE jobs SET status = 'queued', attempts = 0, lease_expires_at = NULL, next_attempt_at = ?,
                    completed_at = NULL, updated_at = ? WHERE \(condition)
                """, [.text(now), .text(now)] + scope + extra)
        }
    }
}
