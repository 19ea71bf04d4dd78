import Foundation
import RenumCore

/// One integration as its owner sees it (the token hash stays inside the storage layer).
public struct IntegrationRecord: Sendable, Equatable {
    public var id: UUID
    public var userID: UUID
    public var name: String
    /// One of whatsapp, telegram, zapier, n8n, make, generic.
    public var type: String
    /// One of active, inactive, error.
    public var status: String
    /// JSON text.
    public var config: String
    public var rateLimitPerMinute: Int
    /// UTC ISO-8601, nil until the first webhook.
    public var lastUsedAt: String?
    /// UTC ISO-8601.
    public var createdAt: String
    /// UTC ISO-8601.
    public var updatedAt: String
    /// Names (never values) of the config fields kept sealed in the vault.
    public var secretFields: [String]

    public init(id: UUID, userID: UUID, name: String, type: String, status: String, config: String,
                rateLimitPerMinute: Int, lastUsedAt: String?, createdAt: String, updatedAt: String,
                secretFields: [String] = []) {
        self.secretFields = secretFields
        self.id = id
        self.userID = userID
        self.name = name
        self.type = type
        self.status = status
        self.config = config
        self.rateLimitPerMinute = rateLimitPerMinute
        self.lastUsedAt = lastUsedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// What a caller supplies to create an integration; the owner comes from the `Principal`.
public struct NewIntegration: Sendable {
    /// The id to create it under: chosen by the caller so that secrets can be sealed to it first.
    public var id: UUID
    public var name: String
    public var type: String
    public var status: String
    /// JSON text.
    public var config: String
    public var rateLimitPerMinute: Int
    /// Hash of the integration's webhook token, when it has one.
    public var tokenHash: String?
    /// The secret config fields, sealed by the caller's vault (storage never sees them in clear).
    public var sealedSecrets: [UInt8]?
    /// Their names, stored in clear so the API can say what is set.
    public var secretFields: [String] = []

    public init(id: UUID = UUID(), name: String, type: String, status: String = "active", config: String = "{}",
                rateLimitPerMinute: Int = 60, tokenHash: String? = nil, sealedSecrets: [UInt8]? = nil) {
        self.id = id
        self.sealedSecrets = sealedSecrets
        self.name = name
        self.type = type
        self.status = status
        self.config = config
        self.rateLimitPerMinute = rateLimitPerMinute
        self.tokenHash = tokenHash
    }
}

/// A partial update: nil fields are left as they are.
public struct IntegrationChanges: Sendable {
    public var name: String?
    public var type: String?
    public var status: String?
    /// JSON text.
    public var config: String?
    public var rateLimitPerMinute: Int?
    /// Replacement sealed secrets (re-sealed whenever the config changes).
    public var sealedSecrets: [UInt8]?
    /// Their names; set together with `sealedSecrets`.
    public var secretFields: [String]?

    public init(name: String? = nil, type: String? = nil, status: String? = nil, config: String? = nil,
                rateLimitPerMinute: Int? = nil, sealedSecrets: [UInt8]? = nil) {
        self.sealedSecrets = sealedSecrets
        self.name = name
        self.type = type
        self.status = status
        self.config = config
        self.rateLimitPerMinute = rateLimitPerMinute
    }
}

/// The integrations table seen by one tenant: every statement is bound to `user_id = owner`.
///
/// Admins are not exempt: this is the per-user API; cross-tenant views live elsewhere.
public struct IntegrationRepository: Sendable {
    let store: any Store

    /// A repository over `store`.
    public init(store: any Store) {
        self.store = store
    }

    static let columns = """
        id, user_id, name, type, status, config, rate_limit_per_minute, last_used_at, created_at, updated_at,
        secret_fields
        """

    /// Creates an integration owned by `owner` (never by anyone else).
    public func create(_ new: NewIntegration, for owner: Principal) async throws -> IntegrationRecord {
        let now = Timestamp.now()
        let record = IntegrationRecord(
            id: new.id, userID: owner.userID, name: new.name, type: new.type, status: new.status,
            config: new.config, rateLimitPerMinute: new.rateLimitPerMinute, lastUsedAt: nil,
            createdAt: now, updatedAt: now, secretFields: new.secretFields)
        let tokenHash = new.tokenHash
        let fieldNames = Self.namesJSON(new.secretFields)
        let sealed: SQLValue = new.sealedSecrets.map(SQLValue.blob) ?? .null
        try await store.write { db in
            try db.execute("""
                INSERT INTO integrations (id, user_id, name, type, status, config, token_hash,
                    rate_limit_per_minute, last_used_at, created_at, updated_at, sealed_secrets, secret_fields)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)
                """, [
                    .text(idText(record.id)), .text(idText(owner.userID)), .text(record.name), .text(record.type),
                    .text(record.status), .text(record.config), .optional(tokenHash),
                    .integer(Int64(record.rateLimitPerMinute)), .text(now), .text(now), sealed, .text(fieldNames),
                ])
            try AuditLog.append(AuditEntry(actorID: record.userID, action: "integration.created", targetType: "integration",
                                           targetID: idText(record.id), details: JSONText.encode(["type": .string(record.type)])), in: db)
        }
        return record
    }

    /// The owner's integrations, newest first.
    public func list(for owner: Principal, limit: Int, offset: Int) throws -> [IntegrationRecord] {
        try store.read { db in
            try db.query("""
                SELECT \(Self.columns) FROM integrations WHERE user_id = ?
                ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?
                """, [.text(idText(owner.userID)), .integer(Int64(max(0, limit))), .integer(Int64(max(0, offset)))])
                .map(Self.record)
        }
    }

    /// How many integrations the owner has.
    public func count(for owner: Principal) throws -> Int {
        try store.read { db in
            let row = try db.queryFirst("SELECT COUNT(*) AS n FROM integrations WHERE user_id = ?",
                                        [.text(idText(owner.userID))])
            return Int(try row?.int("n") ?? 0)
        }
    }

    /// The integration, or nil when it does not exist or belongs to someone else.
    public func find(_ id: UUID, for owner: Principal) throws -> IntegrationRecord? {
        try store.read { db in try Self.find(id, owner: owner.userID, in: db) }
    }

    /// Applies `changes` and bumps `updated_at`; nil when the integration is not the owner's.
    public func update(_ id: UUID, _ changes: IntegrationChanges, for owner: Principal) async throws
        -> IntegrationRecord? {
        let userID = owner.userID
        return try await store.write { db in
            let changed = try db.execute("""
                UPDATE integrations SET
                    name = COALESCE(?, name), type = COALESCE(?, type), status = COALESCE(?, CASE WHEN status = 'error' THEN 'active' ELSE status END),
                    config = COALESCE(?, config), rate_limit_per_minute = COALESCE(?, rate_limit_per_minute),
                    sealed_secrets = COALESCE(?, sealed_secrets), secret_fields = COALESCE(?, secret_fields),
                    consecutive_failures = 0,
                    updated_at = ?
                WHERE id = ? AND user_id = ?
                """, [
                    .optional(changes.name), .optional(changes.type), .optional(changes.status),
                    .optional(changes.config), .optional(changes.rateLimitPerMinute),
                    changes.sealedSecrets.map(SQLValue.blob) ?? .null, .optional(changes.secretFields.map(Self.namesJSON)),
                    .text(Timestamp.now()), .text(idText(id)), .text(idText(userID)),
                ])
            guard changed > 0 else { return nil }
            let fields = [("name", changes.name != nil), ("type", changes.type != nil), ("status", changes.status != nil),
                          ("config", changes.config != nil), ("rate_limit_per_minute", changes.rateLimitPerMinute != nil)]
                .filter(\.1).map { JSONValue.string($0.0) }
            try AuditLog.append(AuditEntry(actorID: userID, action: "integration.updated", targetType: "integration",
                                           targetID: idText(id), details: JSONText.encode(["fields": .array(fields)])), in: db)
            return try Self.find(id, owner: userID, in: db)
        }
    }

    /// Deletes the integration; false when it is not the owner's.
    public func delete(_ id: UUID, for owner: Principal) async throws -> Bool {
        let userID = owner.userID
        return try await store.write { db in
            let deleted = try db.execute("DELETE FROM integrations WHERE id = ? AND user_id = ?",
                                         [.text(idText(id)), .text(idText(userID))]) > 0
            if deleted {
                try AuditLog.append(AuditEntry(actorID: userID, action: "integration.deleted", targetType: "integration",
                                               targetID: idText(id)), in: db)
            }
            return deleted
        }
    }

    private static func find(_ id: UUID, owner: UUID, in db: any SQLConnection) throws -> IntegrationRecord? {
        try db.queryFirst("SELECT \(columns) FROM integrations WHERE id = ? AND user_id = ?",
                          [.text(idText(id)), .text(idText(owner))]).map(record)
    }

    static func record(_ row: SQLRow) throws -> IntegrationRecord {
        IntegrationRecord(
            id: try row.uuid("id"), userID: try row.uuid("user_id"), name: try row.string("name"),
            type: try row.string("type"), status: try row.string("status"), config: try row.string("config"),
            rateLimitPerMinute: Int(try row.int("rate_limit_per_minute")),
            lastUsedAt: row.optionalString("last_used_at"),
            createdAt: try row.string("created_at"), updatedAt: try row.string("updated_at"),
            secretFields: JSONText.decode(row.optionalString("secret_fields") ?? "[]")?.arrayValue?.compactMap(\.stringValue) ?? [])
    }

    static func namesJSON(_ names: [String]) -> String {
        JSONText.encode(.array(names.sorted().map(JSONValue.string)))
    }
}

/// The stored form of an id: the lowercase UUID string.
@inline(__always) func idText(_ id: UUID) -> String { id.lowercasedString }
