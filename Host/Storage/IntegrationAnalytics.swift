import Foundation
import RenumCore

/// A change to one day's counters (negative values move a count, e.g. failed → successful on replay).
public struct AnalyticsDelta: Sendable, Equatable {
    public var total = 0
    public var successful = 0
    public var failed = 0
    public var responseTimeMs = 0
    public var cost = 0.0

    public init(total: Int = 0, successful: Int = 0, failed: Int = 0, responseTimeMs: Int = 0, cost: Double = 0) {
        self.total = total
        self.successful = successful
        self.failed = failed
        self.responseTimeMs = responseTimeMs
        self.cost = cost
    }

    /// Adds another change to this one (changes to one day commute).
    public mutating func add(_ other: AnalyticsDelta) {
        total += other.total
        successful += other.successful
        failed += other.failed
        responseTimeMs += other.responseTimeMs
        cost += other.cost
    }
}

/// One day of an integration's analytics.
public struct AnalyticsDay: Sendable, Equatable {
    /// `YYYY-MM-DD`, UTC.
    public var day: String
    public var total: Int
    public var successful: Int
    public var failed: Int
    /// Mean over the day's counted requests; 0 when there are none.
    public var averageResponseTimeMs: Double
    public var cost: Double
}

/// `integration_analytics`: per-day counters, changed only inside the transaction that
/// finalises a job or records a refusal, so each request is counted exactly once.
public enum IntegrationAnalytics {
    /// Adds `delta` to the day's row, creating it (an upsert both SQLite and PostgreSQL accept).
    public static func add(_ delta: AnalyticsDelta, integrationID: UUID, userID: UUID, day: String,
                           in db: any SQLConnection) throws {
        try db.execute("""
            INSERT INTO integration_analytics (id, integration_id, user_id, day, total, successful, failed,
                total_response_time_ms, cost)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (integration_id, day) DO UPDATE SET
                total = integration_analytics.total + excluded.total,
                successful = integration_analytics.successful + excluded.successful,
                failed = integration_analytics.failed + excluded.failed,
                total_response_time_ms = integration_analytics.total_response_time_ms + excluded.total_response_time_ms,
                cost = integration_analytics.cost + excluded.cost
            """, [
                .text(UUID.timeOrdered().lowercasedString), .text(idText(integrationID)), .text(idText(userID)), .text(day),
                .integer(Int64(delta.total)), .integer(Int64(delta.successful)), .integer(Int64(delta.failed)),
                .integer(Int64(delta.responseTimeMs)), .real(delta.cost),
            ])
    }

    /// The owner's days from `firstDay` (inclusive), oldest first.
    public static func days(integrationID: UUID, owner: Principal, from firstDay: String, store: any Store) throws
        -> [AnalyticsDay] {
        try store.read { db in
            try db.query("""
                SELECT day, total, successful, failed, total_response_time_ms, cost FROM integration_analytics
                WHERE integration_id = ? AND user_id = ? AND day >= ? ORDER BY day
                """, [.text(idText(integrationID)), .text(idText(owner.userID)), .text(firstDay)]).map { row in
                let total = Int(try row.int("total"))
                let time = Double(try row.int("total_response_time_ms"))
                return AnalyticsDay(day: try row.string("day"), total: total, successful: Int(try row.int("successful")),
                                    failed: Int(try row.int("failed")),
                                    averageResponseTimeMs: total > 0 ? time / Double(total) : 0,
                                    cost: try row.double("cost"))
            }
        }
    }
}
