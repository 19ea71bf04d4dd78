import Foundation
import RenumCore
import Testing
@testable import RenumStorage

/// Results finalised together must leave analytics and integration health as if each had been
/// applied alone, in order.
@Suite("Job finalisation in batches")
struct JobFinalizationTests {
    let owner = Principal(userID: UUID(), isAdmin: false)

    private func withQueue(threshold: Int,
                           _ body: (JobQueue, IntegrationRecord, WebhookLogRepository, SQLiteStore) async throws -> Void) async throws {
        try await withDatabasePath { path in
            let store = try openStore(path)
            let integration = try await IntegrationRepository(store: store)
                .create(NewIntegration(name: "WA", type: "whatsapp"), for: owner)
            try await body(JobQueue(store: store, errorThreshold: threshold), integration, WebhookLogRepository(store: store), store)
            await store.close()
        }
    }

    private func leaseJobs(_ count: Int, _ queue: JobQueue, _ integration: IntegrationRecord,
                           _ logs: WebhookLogRepository) async throws -> [LeasedJob] {
        let now = Timestamp.now()
        for index in 0..<count {
            let outcome = try await logs.ingest(AcceptedDelivery(
                requestID: "req-\(index)", integrationID: integration.id, userID: owner.userID, method: "POST",
                headersJSON: "{}", payloadJSON: "{}", sealedBody: [1, 2, 3], providerIDs: ["wamid.\(index)"],
                idempotencyKeys: ["provider:wamid.\(index)"], webhookID: nil, maxAttempts: 1, receivedAt: now))
            #expect(outcome == .accepted)
        }
        let jobs = try await queue.lease(limit: count, now: Timestamp.now(), leaseUntil: "9999-12-31T00:00:00.000Z")
        #expect(jobs.count == count)
        return jobs.sorted { $0.requestID < $1.requestID }
    }

    private func health(_ store: SQLiteStore, _ integration: IntegrationRecord) throws -> (status: String, failures: Int64) {
        try store.read { db in
            let row = try db.queryFirst("SELECT status, consecutive_failures FROM integrations WHERE id = ?",
                                        [.text(integration.id.lowercasedString)])!
            return (try row.string("status"), try row.int("consecutive_failures"))
        }
    }

    @Test func aDeliveryInTheBatchResetsTheStreakAndLaterDeadLettersCountFromIt() async throws {
        try await withQueue(threshold: 2) { queue, integration, logs, store in
            let jobs = try await leaseJobs(4, queue, integration, logs)
            let summary = try await queue.finalize([
                .dead(jobs[0], error: "x", responseTimeMs: 1), .dead(jobs[1], error: "x", responseTimeMs: 1),
                .delivered(jobs[2], responseTimeMs: 10, cost: 0.5), .dead(jobs[3], error: "x", responseTimeMs: 1),
            ], now: Timestamp.now())
            #expect(summary.applied == 4)
            // One at a time: error after the second dead letter, active again after the delivery, then a streak of 1.
            let (status, failures) = try health(store, integration)
            #expect(status == "active")
            #expect(failures == 1)
            let day = try store.read { db in
                try db.queryFirst("SELECT total, successful, failed, total_response_time_ms, cost FROM integration_analytics")!
            }
            #expect(try day.int("total") == 4)
            #expect(try day.int("successful") == 1)
            #expect(try day.int("failed") == 3)
            #expect(try day.int("total_response_time_ms") == 13)
            #expect(try day.double("cost") == 0.5)
        }
    }

    @Test func aStreakReachingTheThresholdInOneBatchTurnsTheIntegrationToError() async throws {
        try await withQueue(threshold: 2) { queue, integration, logs, store in
            let jobs = try await leaseJobs(3, queue, integration, logs)
            let summary = try await queue.finalize([
                .delivered(jobs[0], responseTimeMs: 5, cost: 0), .dead(jobs[1], error: "x", responseTimeMs: 1),
                .dead(jobs[2], error: "x", responseTimeMs: 1),
            ], now: Timestamp.now())
            #expect(summary.touchedIntegrations == [integration.id])
            let (status, failures) = try health(store, integration)
            #expect(status == "error")
            #expect(failures == 2)
        }
    }
}
