import Foundation
import RenumCore

/// A stored credential: the secret itself only as sealed bytes.
public struct CredentialRecord: Sendable, Equatable {
    public var id: UUID
    public var userID: UUID
    public var serviceType: String
    public var serviceName: String
    /// The vault's sealed blob; opening it needs the vault and this record's context.
    public var ciphertext: [UInt8]
    public var keyVersion: Int
    /// JSON text: an array of strings.
    public var scopes: String
    /// JSON text: the names of the secret fields (never their values).
    public var fieldNames: String
    /// active, expired, revoked or invalid (as last recorded; expiry is also judged at read time).
    public var status: String
    public var expiresAt: String?
    public var lastValidatedAt: String?
    public var createdAt: String
    public var updatedAt: String

    public init(id: UUID, userID: UUID, serviceType: String, serviceName: String, ciphertext: [UInt8], keyVersion: Int,
                scopes: String, fieldNames: String, status: String, expiresAt: String?, lastValidatedAt: String?,
                createdAt: String, updatedAt: String) {
        self.id = id
        self.userID = userID
        self.serviceType = serviceType
        self.serviceName = serviceName
        self.ciphertext = ciphertext
        self.keyVersion = keyVersion
        self.scopes = scopes
        self.fieldNames = fieldNames
        self.status = status
        self.expiresAt = expiresAt
        self.lastValidatedAt = lastValidatedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A change to a credential; nil leaves a field as it is.
public struct CredentialChanges: Sendable {
    public var serviceName: String?
    public var scopes: String?
    /// `.some(nil)` clears the expiry.
    public var expiresAt: String??
    public var sealed: SealedFields?

    /// New secret values, sealed, with the names of their fields.
    public struct SealedFields: Sendable {
        public var ciphertext: [UInt8]
        public var keyVersion: Int
        public var fieldNames: String

        public init(ciphertext: [UInt8], keyVersion: Int, fieldNames: String) {
            self.ciphertext = ciphertext
            self.keyVersion = keyVersion
            self.fieldNames = fieldNames
        }
    }

    public init(serviceName: String? = nil, scopes: String? = nil, expiresAt: String?? = nil, sealed: SealedFields? = nil) {
        self.serviceName = serviceName
        self.scopes = scopes
        self.expiresAt = expiresAt
        self.sealed = sealed
    }
}

/// `user_credentials` seen by one tenant: every statement binds `user_id`.
public struct CredentialRepository: Sendable {
    private let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    static let columns = """
        id, user_id, service_type, service_name, ciphertext, key_version, scopes, field_names, status,
        expires_at, last_validated_at, created_at, updated_at
        """

    /// Inserts a credential whose id the caller chose (the sealed blob is bound to it), owned by
    /// `owner` whatever the record says. A second credential with the same service type and name
    /// throws `.constraint`.
    public func create(_ record: CredentialRecord, for owner: Principal) async throws -> CredentialRecord {
        var record = record
        record.userID = owner.userID
        let row = record
        try await store.write { db in
            try db.execute("""
                INSERT INTO user_credentials (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(row.id.lowercasedString), .text(row.userID.lowercasedString), .text(row.serviceType),
                      .text(row.serviceName), .blob(row.ciphertext), .integer(Int64(row.keyVersion)), .text(row.scopes),
                      .text(row.fieldNames), .text(row.status), .optional(row.expiresAt), .optional(row.lastValidatedAt),
                      .text(row.createdAt), .text(row.updatedAt)])
            try AuditLog.append(AuditEntry(actorID: row.userID, action: "credential.created", targetType: "credential",
                                           targetID: row.id.lowercasedString,
                                           details: JSONText.encode(["service_type": .string(row.serviceType)])), in: db)
        }
        return record
    }

    public func list(for owner: Principal, limit: Int, offset: Int) throws -> [CredentialRecord] {
        try store.read { db in
            try db.query("""
                SELECT \(Self.columns) FROM user_credentials WHERE user_id = ?
                ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?
                """, [.text(owner.userID.lowercasedString), .integer(Int64(max(0, limit))), .integer(Int64(max(0, offset)))])
                .map(Self.record)
        }
    }

    public func count(for owner: Principal) throws -> Int {
        try store.read { db in
            Int(try db.queryFirst("SELECT COUNT(*) AS n FROM user_credentials WHERE user_id = ?",
                                  [.text(owner.userID.lowercasedString)])?.int("n") ?? 0)
        }
    }

    public func find(_ id: UUID, for owner: Principal) throws -> CredentialRecord? {
        try store.read { db in try Self.find(id, owner.userID, in: db) }
    }

    /// The user's newest active credential of a service type that has not expired at `now`:
    /// what a plugin acting for that user may be given.
    public func newestUsable(serviceType: String, userID: UUID, now: String) throws -> CredentialRecord? {
        try store.read { db in
            try db.queryFirst("""
                SELECT \(Self.columns) FROM user_credentials
                WHERE user_id = ? AND service_type = ? AND status = 'active' AND (expires_at IS NULL OR expires_at > ?)
                ORDER BY created_at DESC, id DESC LIMIT 1
                """, [.text(userID.lowercasedString), .text(serviceType), .text(now)]).map(Self.record)
        }
    }

    public func update(_ id: UUID, _ changes: CredentialChanges, for owner: Principal) async throws -> CredentialRecord? {
        let userID = owner.userID
        return try await store.write { db in
            guard try Self.find(id, userID, in: db) != nil else { return nil }
            var sets = ["updated_at = ?"]
            var params: [SQLValue] = [.text(Timestamp.now())]
            if let name = changes.serviceName { sets.append("service_name = ?"); params.append(.text(name)) }
            if let scopes = changes.scopes { sets.append("scopes = ?"); params.append(.text(scopes)) }
            if let expiry = changes.expiresAt { sets.append("expires_at = ?"); params.append(.optional(expiry)) }
            if let sealed = changes.sealed {
                // New secret values: an earlier validation says nothing about them.
                sets += ["ciphertext = ?", "key_version = ?", "field_names = ?", "status = 'active'", "last_validated_at = NULL"]
                params += [.blob(sealed.ciphertext), .integer(Int64(sealed.keyVersion)), .text(sealed.fieldNames)]
            }
            try db.execute("UPDATE user_credentials SET \(sets.joined(separator: ", ")) WHERE id = ? AND user_id = ?",
                           params + [.text(id.lowercasedString), .text(userID.lowercasedString)])
            try AuditLog.append(AuditEntry(actorID: userID, action: "credential.updated", targetType: "credential",
                                           targetID: id.lowercasedString,
                                           details: JSONText.encode(["secret_changed": .bool(changes.sealed != nil)])), in: db)
            return try Self.find(id, userID, in: db)
        }
    }

    public func delete(_ id: UUID, for owner: Principal) async throws -> Bool {
        let userID = owner.userID
        return try await store.write { db in
            let deleted = try db.execute("DELETE FROM user_credentials WHERE id = ? AND user_id = ?",
                                         [.text(id.lowercasedString), .text(userID.lowercasedString)]) > 0
            if deleted {
                try AuditLog.append(AuditEntry(actorID: userID, action: "credential.deleted", targetType: "credential",
                                               targetID: id.lowercasedString), in: db)
            }
            return deleted
        }
    }

    /// Records the outcome of a validation (status active or invalid) and when it ran.
    public func recordValidation(_ id: UUID, status: String, at: String, for owner: Principal) async throws -> CredentialRecord? {
        let userID = owner.userID
        return try await store.write { db in
            guard try db.execute("""
                UPDATE user_credentials SET status = ?, last_validated_at = ?, updated_at = ? WHERE id = ? AND user_id = ?
                """, [.text(status), .text(at), .text(at), .text(id.lowercasedString), .text(userID.lowercasedString)]) > 0
            else { return nil }
            return try Self.find(id, userID, in: db)
        }
    }

    /// Key rotation, across tenants: the stored blobs after `afterID` (by id), `limit` at a time.
    public func sealedBatch(afterID: String, limit: Int) throws -> [CredentialRecord] {
        try store.read { db in
            try db.query("SELECT \(Self.columns) FROM user_credentials WHERE id > ? ORDER BY id LIMIT ?",
                          [.text(afterID), .integer(Int64(limit))]).map(Self.record)
        }
    }

    /// Key rotation: replaces one blob with its rewrapped form, only if it is still the blob that was read.
    public func replaceSealed(id: UUID, expected: [UInt8], with ciphertext: [UInt8], keyVersion: Int) async throws -> Bool {
        try await store.write { db in
            try db.execute("UPDATE user_credentials SET ciphertext = ?, key_version = ? WHERE id = ? AND ciphertext = ?",
                           [.blob(ciphertext), .integer(Int64(keyVersion)), .text(id.lowercasedString), .blob(expected)]) > 0
        }
    }

    private static func find(_ id: UUID, _ owner: UUID, in db: any SQLConnection) throws -> CredentialRecord? {
        try db.queryFirst("SELECT \(columns) FROM user_credentials WHERE id = ? AND user_id = ?",
                          [.text(id.lowercasedString), .text(owner.lowercasedString)]).map(record)
    }

    private static func record(_ row: SQLRow) throws -> CredentialRecord {
        CredentialRecord(
            id: try row.uuid("id"), userID: try row.uuid("user_id"), serviceType: try row.string("service_type"),
            serviceName: try row.string("service_name"), ciphertext: row.blob("ciphertext") ?? [],
            keyVersion: Int(try row.int("key_version")), scopes: row.optionalString("scopes") ?? "[]",
            fieldNames: row.optionalString("field_names") ?? "[]", status: try row.string("status"),
            expiresAt: row.optionalString("expires_at"), lastValidatedAt: row.optionalString("last_validated_at"),
            createdAt: try row.string("created_at"), updatedAt: try row.string("updated_at"))
    }
}
