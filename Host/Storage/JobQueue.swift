import Foundation
import RenumCore

/// A job a worker holds until `leaseExpiresAt`, with what processing it needs.
public struct LeasedJob: Sendable, Equatable {
    public var id: UUID
    public var integrationID: UUID
    public var userID: UUID
    public var logID: UUID?
    public var requestID: String
    /// Including this one; the lease token: only the holder of this attempt may finalise it.
    public var attempt: Int
    public var maxAttempts: Int
    /// The sealed raw body; nil when the log row is gone.
    public var sealedBody: [UInt8]?
    public var webhookID: String?
    /// When the request arrived (UTC ISO-8601): its analytics day.
    public var receivedAt: String
}

/// How a worker finished one leased job.
public enum JobResult: Sendable, Equatable {
    /// Delivered: done, counted successful.
    case delivered(LeasedJob, responseTimeMs: Int, cost: Double)
    /// Failed, to be tried again at `retryAt` (UTC ISO-8601).
    case retry(LeasedJob, retryAt: String, error: String)
    /// Failed for good: a dead letter, counted failed.
    case dead(LeasedJob, error: String, responseTimeMs: Int)
    /// Not processed now (inactive integration): back to the queue without spending an attempt.
    case postpone(LeasedJob, until: String)

    var job: LeasedJob {
        switch self {
        case .delivered(let job, _, _), .retry(let job, _, _), .dead(let job, _, _), .postpone(let job, _): return job
        }
    }
}

/// What finalising changed, so the caller can refresh what it caches.
public struct JobFinalization: Sendable, Equatable {
    /// Results applied; the others had lost their lease to another worker and were dropped.
    public var applied = 0
    /// Integrations whose status changed (error ↔ active): only these need a cache refresh.
    public var touchedIntegrations: Set<UUID> = []
}

/// The durable job queue over the `jobs` table: lease, finalise, re-enqueue.
///
/// At-least-once: a lease expires, and an expired lease is taken again by any worker. The
/// outcome is recorded exactly once: finalising requires the job to be still leased at the
/// same attempt, so a worker whose lease was taken over cannot record a second outcome.
public struct JobQueue: Sendable {
    let store: any Store
    /// Dead jobs in a row after which an integration turns to `error`.
    public let errorThreshold: Int

    /// A queue over `store`.
    public init(store: any Store, errorThreshold: Int = 10) {
        self.store = store
        self.errorThreshold = max(1, errorThreshold)
    }

    /// True when a job is due or a lease has expired (a cheap read, to poll without writing).
    public func hasWork(now: String) throws -> Bool {
        try store.read { db in
            try db.queryFirst("""
                SELECT 1 AS one FROM jobs WHERE (status = 'queued' AND next_attempt_at <= ?)
                    OR (status = 'leased' AND lease_expires_at <= ?) LIMIT 1
                """, [.text(now), .text(now)]) != nil
        }
    }

    /// Leases up to `limit` due jobs (queued and due, or leased with an expired lease) until `leaseUntil`.
    ///
    /// Only the lease itself goes through the writer, the one serial step ingestion also waits
    /// on; each job's sealed body is read afterwards on a reader connection.
    public func lease(limit: Int, now: String, leaseUntil: String) async throws -> [LeasedJob] {
        var jobs = try await store.write { db in
            let rows = try db.query("""
                UPDATE jobs SET status = 'leased', attempts = attempts + 1, lease_expires_at = ?, updated_at = ?
                WHERE id IN (SELECT id FROM jobs WHERE status = 'queued' AND next_attempt_at <= ?
                             ORDER BY next_attempt_at LIMIT ?)
                   OR id IN (SELECT id FROM jobs WHERE status = 'leased' AND lease_expires_at <= ? LIMIT ?)
                RETURNING id, integration_id, user_id, webhook_log_id, request_id, attempts, max_attempts
                """, [.text(leaseUntil), .text(now), .text(now), .integer(Int64(limit)), .text(now), .integer(Int64(limit))])
            return try rows.map { row in
                LeasedJob(id: try row.uuid("id"), integrationID: try row.uuid("integration_id"),
                          userID: try row.uuid("user_id"), logID: row.optionalString("webhook_log_id").flatMap(UUID.init(text:)),
                          requestID: row.optionalString("request_id") ?? "", attempt: Int(try row.int("attempts")),
                          maxAttempts: Int(try row.int("max_attempts")), sealedBody: nil, webhookID: nil,
                          receivedAt: now)
            }
        }
        guard !jobs.isEmpty else { return jobs }
        // The log rows were committed before their jobs could be leased, and a log row never changes
        // the columns read here, so a reader's snapshot after the lease is as good as the writer's.
        try store.read { db in
            for index in jobs.indices {
                guard let logID = jobs[index].logID,
                      let log = try db.queryFirst("SELECT sealed_body, webhook_id, created_at FROM webhook_logs WHERE id = ?",
                                                  [.text(idText(logID))]) else { continue }
                jobs[index].sealedBody = log.blob("sealed_body")
                jobs[index].webhookID = log.optionalString("webhook_id")
                jobs[index].receivedAt = try log.string("created_at")
            }
        }
        return jobs
    }

    /// Records every result in one transaction: job state, log outcome, analytics, integration health.
    ///
    /// Per job only its own rows change; analytics and integration health are summed over the
    /// batch and written once per integration (and day), which is what lets the workers keep up
    /// with ingestion on the single writer.
    public func finalize(_ results: [JobResult], now: String) async throws -> JobFinalization {
        let threshold = errorThreshold
        return try await store.write { db in
            var summary = JobFinalization()
            var analytics: [AnalyticsKey: AnalyticsDelta] = [:]
            var health: [UUID: HealthChange] = [:]
            for result in results {
                guard let applied = try Self.apply(result, now: now, in: db) else { continue }
                summary.applied += 1
                let job = result.job
                if let delta = applied.analytics {
                    analytics[AnalyticsKey(integrationID: job.integrationID, userID: job.userID, day: applied.day),
                              default: AnalyticsDelta()].add(delta)
                }
                if let succeeded = applied.succeeded { health[job.integrationID, default: HealthChange()].record(succeeded) }
            }
            for (key, delta) in analytics where delta != AnalyticsDelta() {
                try IntegrationAnalytics.add(delta, integrationID: key.integrationID, userID: key.userID, day: key.day, in: db)
            }
            for (integrationID, change) in health {
                if try Self.applyHealth(change, to: integrationID, errorThreshold: threshold, in: db) {
                    summary.touchedIntegrations.insert(integrationID)
                }
            }
            return summary
        }
    }

    /// What one applied result changes beyond its own rows.
    private struct Applied {
        var day: String
        var analytics: AnalyticsDelta?
        /// true: delivered, false: dead; nil for a retry or postponement (health unchanged).
        var succeeded: Bool?
    }

    private struct AnalyticsKey: Hashable {
        var integrationID: UUID
        var userID: UUID
        var day: String
    }

    /// Deliveries and dead letters of one integration within a batch, in order.
    private struct HealthChange {
        var delivered = false
        /// Dead letters since the last delivery in the batch (or since the start, without one).
        var deadSinceDelivery = 0

        mutating func record(_ succeeded: Bool) {
            if succeeded {
                delivered = true
                deadSinceDelivery = 0
            } else {
                deadSinceDelivery += 1
            }
        }
    }

    /// The integration's failure streak and status after the batch, as if each result had been
    /// applied in turn: a delivery resets the streak (and an `error` integration is active again),
    /// each dead letter extends it, and a streak at the threshold turns an active one to `error`.
    /// Returns whether the status changed.
    private static func applyHealth(_ change: HealthChange, to integrationID: UUID, errorThreshold: Int,
                                    in db: any SQLConnection) throws -> Bool {
        let integration = SQLValue.text(idText(integrationID))
        var changed = false
        if change.delivered {
            try db.execute("UPDATE integrations SET consecutive_failures = ? WHERE id = ? AND consecutive_failures != ?",
                           [.integer(Int64(change.deadSinceDelivery)), integration, .integer(Int64(change.deadSinceDelivery))])
            if change.deadSinceDelivery < errorThreshold {
                changed = try db.execute("UPDATE integrations SET status = 'active' WHERE id = ? AND status = 'error'",
                                         [integration]) > 0
            }
        } else if change.deadSinceDelivery > 0 {
            try db.execute("UPDATE integrations SET consecutive_failures = consecutive_failures + ? WHERE id = ?",
                           [.integer(Int64(change.deadSinceDelivery)), integration])
        }
        if change.deadSinceDelivery > 0 {
            changed = try db.execute("""
                UPDATE integrations SET status = 'error' WHERE id = ? AND status = 'active' AND consecutive_failures >= ?
                """, [integration, .integer(Int64(errorThreshold))]) > 0 || changed
        }
        return changed
    }

    /// Applies one result to its job and log rows; nil when the job's lease was lost.
    private static func apply(_ result: JobResult, now: String, in db: any SQLConnection) throws -> Applied? {
        let job = result.job
        let jobID = SQLValue.text(idText(job.id))
        guard let held = try db.queryFirst(
            "SELECT counted_day, counted_success FROM jobs WHERE id = ? AND status = 'leased' AND attempts = ?",
            [jobID, .integer(Int64(job.attempt))]) else { return nil }
        let countedDay = held.optionalString("counted_day"), countedSuccess = held.optionalInt("counted_success") == 1
        let log = job.logID.map { SQLValue.text(idText($0)) } ?? .null
        let day = countedDay ?? String(job.receivedAt.prefix(10))
        switch result {
        case .delivered(_, let time, let cost):
            try db.execute("""
                UPDATE jobs SET status = 'done', lease_expires_at = NULL, last_error = NULL, completed_at = ?, updated_at = ?,
                    counted_day = ?, counted_success = 1 WHERE id = ?
                """, [.text(now), .text(now), .text(day), jobID])
            try db.execute("UPDATE webhook_logs SET outcome = 'processed', error_message = NULL, response_time_ms = ? WHERE id = ?",
                           [.integer(Int64(time)), log])
            let delta = countedDay == nil ? AnalyticsDelta(total: 1, successful: 1, responseTimeMs: time, cost: cost)
                : countedSuccess ? AnalyticsDelta(cost: cost) : AnalyticsDelta(successful: 1, failed: -1, cost: cost)
            return Applied(day: day, analytics: delta, succeeded: true)
        case .retry(_, let retryAt, let error):
            try db.execute("""
                UPDATE jobs SET status = 'queued', lease_expires_at = NULL, next_attempt_at = ?, last_error = ?, updated_at = ?
                WHERE id = ?
                """, [.text(retryAt), .text(error), .text(now), jobID])
            try db.execute("UPDATE webhook_logs SET outcome = 'retrying', error_message = ? WHERE id = ?", [.text(error), log])
            return Applied(day: day)
        case .dead(_, let error, let time):
            try db.execute("""
                UPDATE jobs SET status = 'dead', lease_expires_at = NULL, last_error = ?, completed_at = ?, updated_at = ?,
                    counted_day = ?, counted_success = 0 WHERE id = ?
                """, [.text(error), .text(now), .text(now), .text(day), jobID])
            try db.execute("UPDATE webhook_logs SET outcome = 'dead', error_message = ?, response_time_ms = ? WHERE id = ?",
                           [.text(error), .integer(Int64(time)), log])
            let delta = countedDay == nil ? AnalyticsDelta(total: 1, failed: 1, responseTimeMs: time)
                : countedSuccess ? AnalyticsDelta(successful: -1, failed: 1) : AnalyticsDelta()
            return Applied(day: day, analytics: delta, succeeded: false)
        case .postpone(_, let until):
            try db.execute("""
                UPDATE jobs SET status = 'queued', attempts = attempts - 1, lease_expires_at = NULL, next_attempt_at = ?,
                    updated_at = ? WHERE id = ?
                """, [.text(until), .text(now), jobID])
            return Applied(day: day)
        }
    }
}
