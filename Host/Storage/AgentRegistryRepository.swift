import Foundation
import RenumCore

/// One version of an agent as the registry stores it.
public struct AgentVersionRecord: Sendable, Equatable {
    public var id: UUID
    public var agentID: String
    public var version: String
    public var name: String
    public var description: String
    /// draft, staged, approved or deprecated.
    public var status: String
    /// The manifest as canonical JSON text.
    public var manifest: String
    public var artifactSHA256: String?
    public var artifactPath: String?
    public var artifactSize: Int?
    public var isActive: Bool
    /// JSON text: `{"tenants": [...], "percentage": n}`.
    public var canary: String
    public var firstParty: Bool
    public var createdBy: UUID?
    public var createdAt: String
    public var updatedAt: String
}

/// What a lifecycle transition did.
public enum TransitionOutcome: Sendable, Equatable {
    case done(AgentVersionRecord, from: String)
    case notFound
    /// The version's current status does not allow this transition.
    case illegal(current: String)
}

/// The `agents_registry` table. Not tenant-scoped: agents are global; who may see or
/// change what is the registry service's decision, and every change is audited here.
public struct AgentRegistryRepository: Sendable {
    private let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    static let columns = """
        id, agent_id, version, name, description, status, manifest, artifact_sha256, artifact_path,
        artifact_size, is_active, canary, first_party, created_by, created_at, updated_at
        """

    /// Inserts a new draft; a duplicate (agent_id, version) throws `.constraint`.
    public func insertDraft(agentID: String, version: String, name: String, description: String, manifest: String,
                            createdBy: UUID?, firstParty: Bool = false) async throws -> AgentVersionRecord {
        let now = Timestamp.now()
        let record = AgentVersionRecord(id: UUID(), agentID: agentID, version: version, name: name, description: description,
                                        status: "draft", manifest: manifest, artifactSHA256: nil, artifactPath: nil,
                                        artifactSize: nil, isActive: false, canary: "{}", firstParty: firstParty,
                                        createdBy: createdBy, createdAt: now, updatedAt: now)
        try await store.write { db in
            try db.execute("""
                INSERT INTO agents_registry (id, agent_id, version, name, description, status, manifest, is_active,
                    canary, first_party, created_by, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, 'draft', ?, 0, '{}', ?, ?, ?, ?)
                """, [.text(record.id.lowercasedString), .text(agentID), .text(version), .text(name), .text(description),
                      .text(manifest), .integer(firstParty ? 1 : 0), .optional(createdBy?.lowercasedString), .text(now), .text(now)])
            try AuditLog.append(AuditEntry(actorID: createdBy, action: "agent.created", targetType: "agent_version",
                                           targetID: "\(agentID)@\(version)", details: #"{"to":"draft"}"#), in: db)
        }
        return record
    }

    public func find(agentID: String, version: String) throws -> AgentVersionRecord? {
        try store.read { db in try Self.find(agentID, version, in: db) }
    }

    /// Every version of an agent, newest first.
    public func versions(agentID: String) throws -> [AgentVersionRecord] {
        try store.read { db in
            try db.query("SELECT \(Self.columns) FROM agents_registry WHERE agent_id = ? ORDER BY created_at DESC, version DESC",
                         [.text(agentID)]).map(Self.record)
        }
    }

    /// Every version of every agent (optionally of one status), by agent then newest first.
    public func all(status: String? = nil) throws -> [AgentVersionRecord] {
        try store.read { db in
            if let status {
                return try db.query("SELECT \(Self.columns) FROM agents_registry WHERE status = ? ORDER BY agent_id, created_at DESC",
                                    [.text(status)]).map(Self.record)
            }
            return try db.query("SELECT \(Self.columns) FROM agents_registry ORDER BY agent_id, created_at DESC").map(Self.record)
        }
    }

    /// Records an accepted artifact for a draft version (drafts only: staged versions are immutable).
    public func recordArtifact(agentID: String, version: String, sha256: String, path: String, size: Int,
                               actor: UUID?) async throws -> TransitionOutcome {
        try await store.write { db in
            guard let row = try Self.find(agentID, version, in: db) else { return .notFound }
            guard row.status == "draft" else { return .illegal(current: row.status) }
            try db.execute("""
                UPDATE agents_registry SET artifact_sha256 = ?, artifact_path = ?, artifact_size = ?, updated_at = ?
                WHERE agent_id = ? AND version = ?
                """, [.text(sha256), .text(path), .integer(Int64(size)), .text(Timestamp.now()), .text(agentID), .text(version)])
            try AuditLog.append(AuditEntry(actorID: actor, action: "agent.artifact_uploaded", targetType: "agent_version",
                                           targetID: "\(agentID)@\(version)",
                                           details: JSONText.encode(["sha256": .string(sha256), "size": .number(Double(size))])), in: db)
            return .done(try Self.find(agentID, version, in: db)!, from: row.status)
        }
    }

    /// Moves a version to `to` when its current status is in `allowedFrom`, atomically.
    /// With `activate`, it becomes the agent's one active version (the previous one stays
    /// approved but inactive: re-approving it later is a rollback). `canary` replaces the
    /// canary settings when given. The audit entry commits with the change.
    public func transition(agentID: String, version: String, allowedFrom: Set<String>, to: String, activate: Bool,
                           deactivate: Bool = false, canary: String? = nil, actor: UUID?) async throws -> TransitionOutcome {
        try await store.write { db in
            guard let row = try Self.find(agentID, version, in: db) else { return .notFound }
            guard allowedFrom.contains(row.status) else { return .illegal(current: row.status) }
            let now = Timestamp.now()
            if activate {
                try db.execute("UPDATE agents_registry SET is_active = 0, updated_at = ? WHERE agent_id = ? AND is_active = 1",
                               [.text(now), .text(agentID)])
            }
            let active: SQLValue = activate ? 1 : (deactivate ? 0 : .integer(row.isActive ? 1 : 0))
            try db.execute("""
                UPDATE agents_registry SET status = ?, is_active = ?, canary = COALESCE(?, canary), updated_at = ?
                WHERE agent_id = ? AND version = ?
                """, [.text(to), active, .optional(canary), .text(now), .text(agentID), .text(version)])
            var details: [String: JSONValue] = ["from": .string(row.status), "to": .string(to)]
            if activate { details["activated"] = true }
            if let canary, let parsed = JSONText.decode(canary) { details["canary"] = parsed }
            try AuditLog.append(AuditEntry(actorID: actor, action: "agent.\(to)", targetType: "agent_version",
                                           targetID: "\(agentID)@\(version)", details: JSONText.encode(.object(details))), in: db)
            return .done(try Self.find(agentID, version, in: db)!, from: row.status)
        }
    }

    private static func find(_ agentID: String, _ version: String, in db: any SQLConnection) throws -> AgentVersionRecord? {
        try db.queryFirst("SELECT \(columns) FROM agents_registry WHERE agent_id = ? AND version = ?",
                          [.text(agentID), .text(version)]).map(record)
    }

    private static func record(_ row: SQLRow) throws -> AgentVersionRecord {
        AgentVersionRecord(
            id: try row.uuid("id"), agentID: try row.string("agent_id"), version: try row.string("version"),
            name: try row.string("name"), description: row.optionalString("description") ?? "",
            status: try row.string("status"), manifest: try row.string("manifest"),
            artifactSHA256: row.optionalString("artifact_sha256"), artifactPath: row.optionalString("artifact_path"),
            artifactSize: row.optionalInt("artifact_size").map(Int.init), isActive: try row.bool("is_active"),
            canary: row.optionalString("canary") ?? "{}", firstParty: try row.bool("first_party"),
            createdBy: row.optionalString("created_by").flatMap(UUID.init(text:)),
            createdAt: try row.string("created_at"), updatedAt: try row.string("updated_at"))
    }
}
