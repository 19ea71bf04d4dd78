import Foundation
import RenumCore

/// An integration with what webhook ingestion needs and the owner API never shows.
public struct WebhookIntegrationRow: Sendable, Equatable {
    public var record: IntegrationRecord
    /// SHA-256 hex of the integration token (zapier, generic and token-fallback make).
    public var tokenHash: String?
    /// The vault-sealed secret config fields, nil when the integration has none.
    public var sealedSecrets: [UInt8]?
    /// Dead jobs in a row since the last success or owner update.
    public var consecutiveFailures: Int
}

extension IntegrationRepository {
    static let webhookColumns = columns + ", token_hash, sealed_secrets, consecutive_failures"

    /// The integration addressed by a webhook URL, whoever owns it.
    ///
    /// Not tenant-scoped on purpose: a provider calling `/api/v1/webhook/{id}` has no principal;
    /// the unguessable id and the per-platform verification are what authorise the delivery.
    public func webhookIntegration(_ id: UUID) throws -> WebhookIntegrationRow? {
        try store.read { db in
            try db.queryFirst("SELECT \(Self.webhookColumns) FROM integrations WHERE id = ?", [.text(idText(id))])
                .map(Self.webhookRow)
        }
    }

    /// The owner's integration with its sealed secrets (to merge a config update), nil when not theirs.
    public func webhookIntegration(_ id: UUID, for owner: Principal) throws -> WebhookIntegrationRow? {
        try store.read { db in
            try db.queryFirst("SELECT \(Self.webhookColumns) FROM integrations WHERE id = ? AND user_id = ?",
                              [.text(idText(id)), .text(idText(owner.userID))]).map(Self.webhookRow)
        }
    }

    /// Replaces the token hash (the old token stops working at commit); false when not the owner's.
    public func replaceTokenHash(_ id: UUID, with hash: String, for owner: Principal) async throws -> Bool {
        let userID = owner.userID
        return try await store.write { db in
            let changed = try db.execute("UPDATE integrations SET token_hash = ?, updated_at = ? WHERE id = ? AND user_id = ?",
                                         [.text(hash), .text(Timestamp.now()), .text(idText(id)), .text(idText(userID))])
            guard changed > 0 else { return false }
            try AuditLog.append(AuditEntry(actorID: userID, action: "integration.token_regenerated",
                                           targetType: "integration", targetID: idText(id)), in: db)
            return true
        }
    }

    static func webhookRow(_ row: SQLRow) throws -> WebhookIntegrationRow {
        WebhookIntegrationRow(record: try record(row), tokenHash: row.optionalString("token_hash"),
                              sealedSecrets: row.blob("sealed_secrets"),
                              consecutiveFailures: Int(row.optionalInt("consecutive_failures") ?? 0))
    }
}
