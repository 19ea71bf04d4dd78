import Foundation
import RenumCore

/// One thing someone did that an administrator may need to account for later.
public struct AuditEntry: Sendable, Equatable {
    public var actorID: UUID?
    /// A dotted verb such as `integration.created` or `agent.approved`.
    public var action: String
    public var targetType: String
    public var targetID: String
    /// JSON text with what changed (never a secret).
    public var details: String

    public init(actorID: UUID?, action: String, targetType: String, targetID: String, details: String = "{}") {
        self.actorID = actorID
        self.action = action
        self.targetType = targetType
        self.targetID = targetID
        self.details = details
    }
}

/// A stored audit entry.
public struct AuditRecord: Sendable, Equatable {
    public var id: UUID
    public var entry: AuditEntry
    public var createdAt: String
}

/// The audit trail: appended inside the transaction of the change it records, read by admins only.
public struct AuditLog: Sendable {
    private let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    /// Appends `entry` on `db`, the connection of the write that makes the change, so the
    /// change and its record commit (or roll back) together.
    public static func append(_ entry: AuditEntry, in db: any SQLConnection) throws {
        try db.execute("""
            INSERT INTO audit_log (id, actor_id, action, target_type, target_id, details, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [
                .text(idText(UUID.timeOrdered())), .optional(entry.actorID.map(idText)), .text(entry.action),
                .text(entry.targetType), .text(entry.targetID), .text(entry.details), .text(Timestamp.now()),
            ])
    }

    /// Newest first, across every tenant; refused (`.misuse`) unless `reader` is an admin.
    public func list(by reader: Principal, action: String? = nil, limit: Int, offset: Int) throws -> (records: [AuditRecord], total: Int) {
        guard reader.isAdmin else { throw StorageError(.misuse, "the audit log is for administrators") }
        return try store.read { db in
            let filter = action == nil ? "" : "WHERE action = ?"
            let filterParams: [SQLValue] = action.map { [.text($0)] } ?? []
            let rows = try db.query("""
                SELECT id, actor_id, action, target_type, target_id, details, created_at FROM audit_log \(filter)
                ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?
                """, filterParams + [.integer(Int64(max(0, limit))), .integer(Int64(max(0, offset)))])
            let total = try db.queryFirst("SELECT COUNT(*) AS n FROM audit_log \(filter)", filterParams)?.int("n") ?? 0
            let records = try rows.map { row in
                AuditRecord(
                    id: try row.uuid("id"),
                    entry: AuditEntry(actorID: row.optionalString("actor_id").flatMap(UUID.init(uuidString:)),
                                      action: try row.string("action"), targetType: row.optionalString("target_type") ?? "",
                                      targetID: row.optionalString("target_id") ?? "", details: row.optionalString("details") ?? "{}"),
                    createdAt: try row.string("created_at"))
            }
            return (records, Int(total))
        }
    }
}
