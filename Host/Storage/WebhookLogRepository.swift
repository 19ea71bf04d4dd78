import Foundation
import RenumCore

/// One accepted delivery, ready to be committed with its job.
public struct AcceptedDelivery: Sendable {
    public var logID: UUID
    public var jobID: UUID
    public var requestID: String
    public var integrationID: UUID
    public var userID: UUID
    public var method: String
    /// Masked headers, JSON text.
    public var headersJSON: String
    /// Masked payload, JSON text.
    public var payloadJSON: String
    /// The raw body, vault-sealed.
    public var sealedBody: [UInt8]
    public var providerIDs: [String]
    /// Keys that make a repeat a duplicate: provider ids and `Idempotency-Key` (already prefixed apart).
    public var idempotencyKeys: [String]
    /// The Standard Webhooks `webhook-id`, when present.
    public var webhookID: String?
    public var maxAttempts: Int
    /// UTC ISO-8601.
    public var receivedAt: String

    public init(logID: UUID = .timeOrdered(), jobID: UUID = .timeOrdered(), requestID: String, integrationID: UUID, userID: UUID,
                method: String, headersJSON: String, payloadJSON: String, sealedBody: [UInt8], providerIDs: [String],
                idempotencyKeys: [String], webhookID: String?, maxAttempts: Int, receivedAt: String) {
        self.logID = logID
        self.jobID = jobID
        self.requestID = requestID
        self.integrationID = integrationID
        self.userID = userID
        self.method = method
        self.headersJSON = headersJSON
        self.payloadJSON = payloadJSON
        self.sealedBody = sealedBody
        self.providerIDs = providerIDs
        self.idempotencyKeys = idempotencyKeys
        self.webhookID = webhookID
        self.maxAttempts = maxAttempts
        self.receivedAt = receivedAt
    }
}

/// A delivery refused before processing (failed verification, unreadable body): logged and counted.
public struct RefusedDelivery: Sendable {
    public var requestID: String
    public var integrationID: UUID
    public var userID: UUID
    public var method: String
    public var headersJSON: String
    public var payloadJSON: String
    public var statusCode: Int
    /// `rejected` (verification) or `invalid` (the body cannot be processed).
    public var outcome: String
    /// A reason safe to show: never a secret or any part of what the caller presented.
    public var errorMessage: String
    public var responseTimeMs: Int
    /// UTC ISO-8601.
    public var receivedAt: String

    public init(requestID: String, integrationID: UUID, userID: UUID, method: String, headersJSON: String,
                payloadJSON: String, statusCode: Int, outcome: String, errorMessage: String, responseTimeMs: Int,
                receivedAt: String) {
        self.requestID = requestID
        self.integrationID = integrationID
        self.userID = userID
        self.method = method
        self.headersJSON = headersJSON
        self.payloadJSON = payloadJSON
        self.statusCode = statusCode
        self.outcome = outcome
        self.errorMessage = errorMessage
        self.responseTimeMs = responseTimeMs
        self.receivedAt = receivedAt
    }
}

/// What committing a delivery came to.
public enum IngestOutcome: Sendable, Equatable {
    /// The log row and the job are committed (durable per the store's synchronous mode).
    case accepted
    /// A key was seen before: nothing was written; `requestID` is the first delivery's.
    case duplicate(requestID: String)
}

/// The write side of `webhook_logs`: accepted deliveries with their job, refused ones with their count.
public struct WebhookLogRepository: Sendable {
    let store: any Store
    private let lastUsed = LastUsedStamps()

    /// A repository over `store`.
    public init(store: any Store) {
        self.store = store
    }

    /// Commits the idempotency keys, the log row and the job in one transaction, or finds the duplicate.
    ///
    /// Every key is looked up before anything is written, so a duplicate leaves no trace without
    /// needing a savepoint (`.checksFirst`: the writer skips the page copies one costs). Writes are
    /// serialised on the one writer connection, so nothing can insert a key between the lookup and
    /// the insert; the UNIQUE (integration_id, key) constraint stays as the last word, and two
    /// concurrent deliveries of one event still cannot both be accepted.
    public func ingest(_ delivery: AcceptedDelivery) async throws -> IngestOutcome {
        try await withCheckedThrowingContinuation { waiter in ingest(delivery) { waiter.resume(with: $0) } }
    }

    /// `ingest` for a caller that must not wait: `completion` runs on the writer's thread after the commit.
    public func ingest(_ delivery: AcceptedDelivery,
                       completion: @escaping @Sendable (Result<IngestOutcome, any Error>) -> Void) {
        let lastUsed = self.lastUsed
        store.write({ db in try Self.insert(delivery, in: db, lastUsed: lastUsed) }, isolation: .checksFirst, completion: { outcome in
            switch outcome {
            case .success:
                completion(.success(.accepted))
            case .failure(let duplicate as DuplicateDelivery):
                completion(.success(.duplicate(requestID: duplicate.requestID)))
            case .failure(let error):
                completion(.failure(error))
            }
        })
    }

    /// Logs a refused delivery and counts it (total and failed) in the day's analytics, together.
    public func refuse(_ delivery: RefusedDelivery) async throws {
        try await withCheckedThrowingContinuation { waiter in refuse(delivery) { waiter.resume(with: $0) } }
    }

    /// `refuse` for a caller that must not wait: `completion` runs on the writer's thread after the commit.
    public func refuse(_ delivery: RefusedDelivery, completion: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        store.write({ db in
            try db.execute("""
                INSERT INTO webhook_logs (id, integration_id, user_id, request_id, method, headers, payload,
                    status_code, outcome, error_message, response_time_ms, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [
                    .text(UUID.timeOrdered().lowercasedString), .text(idText(delivery.integrationID)), .text(idText(delivery.userID)),
                    .text(delivery.requestID), .text(delivery.method), .text(delivery.headersJSON),
                    .text(delivery.payloadJSON), .integer(Int64(delivery.statusCode)), .text(delivery.outcome),
                    .text(delivery.errorMessage), .integer(Int64(delivery.responseTimeMs)), .text(delivery.receivedAt),
                ])
            try IntegrationAnalytics.add(AnalyticsDelta(total: 1, failed: 1, responseTimeMs: delivery.responseTimeMs),
                                         integrationID: delivery.integrationID, userID: delivery.userID,
                                         day: String(delivery.receivedAt.prefix(10)), in: db)
        }, completion: completion)
    }

    /// Deletes idempotency keys older than `cutoff` (UTC ISO-8601); returns how many.
    @discardableResult
    public func purgeIdempotencyKeys(olderThan cutoff: String) async throws -> Int {
        try await store.write { db in
            try db.execute("DELETE FROM webhook_idempotency WHERE created_at < ?", [.text(cutoff)])
        }
    }

    private static func insert(_ d: AcceptedDelivery, in db: any SQLConnection, lastUsed: LastUsedStamps) throws {
        let integration = SQLValue.text(idText(d.integrationID))
        var keys: [String] = []
        for key in d.idempotencyKeys where !keys.contains(key) { keys.append(key) }
        for key in keys {
            if let first = try db.queryFirst(
                "SELECT request_id FROM webhook_idempotency WHERE integration_id = ? AND idempotency_key = ?",
                [integration, .text(key)]) {
                throw DuplicateDelivery(requestID: first.optionalString("request_id") ?? "")
            }
        }
        for key in keys {
            try db.execute("""
                INSERT INTO webhook_idempotency (integration_id, idempotency_key, request_id, created_at)
                VALUES (?, ?, ?, ?)
                """, [integration, .text(key), .text(d.requestID), .text(d.receivedAt)])
        }
        let logID = SQLValue.text(idText(d.logID)), user = SQLValue.text(idText(d.userID))
        let ids = JSONText.encode(.array(d.providerIDs.map(JSONValue.string)))
        try db.execute("""
            INSERT INTO webhook_logs (id, integration_id, user_id, request_id, method, headers, payload, status_code,
                outcome, provider_event_id, provider_ids, webhook_id, sealed_body, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, 202, 'accepted', ?, ?, ?, ?, ?)
            """, [
                logID, integration, user, .text(d.requestID), .text(d.method), .text(d.headersJSON),
                .text(d.payloadJSON), .optional(d.providerIDs.first), .text(ids), .optional(d.webhookID),
                .blob(d.sealedBody), .text(d.receivedAt),
            ])
        try db.execute("""
            INSERT INTO jobs (id, integration_id, user_id, webhook_log_id, request_id, status, attempts, max_attempts,
                next_attempt_at, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?)
            """, [
                .text(idText(d.jobID)), integration, user, logID, .text(d.requestID),
                .integer(Int64(max(1, d.maxAttempts))), .text(d.receivedAt), .text(d.receivedAt), .text(d.receivedAt),
            ])
        if lastUsed.due(d.integrationID) {
            try db.execute("UPDATE integrations SET last_used_at = ? WHERE id = ?", [.text(d.receivedAt), integration])
        }
    }
}

/// Thrown inside the ingest write to roll its savepoint back when a key already exists.
struct DuplicateDelivery: Error {
    let requestID: String
}
