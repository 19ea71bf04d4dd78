import Foundation
import RenumCore
import RenumHTTP
import RenumStorage

/// `/api/v1/me` (who the token says you are) and `/api/v1/admin/audit` (the audit trail).
struct AccountRoutes: Sendable {
    let auditLog: AuditLog

    struct Me: Encodable, Sendable {
        let user_id: String
        let email: String?
        let is_admin: Bool
    }

    struct AuditItem: Encodable, Sendable {
        let id: String
        let actor_id: String?
        let action: String
        let target_type: String
        let target_id: String
        let details: JSONValue
        let created_at: String
    }

    func register(on router: Router) {
        let auditLog = self.auditLog
        router.get("/api/v1/me", auth: .user) { request in
            let principal = try request.requirePrincipal()
            return try Response.json(Me(user_id: principal.userID.uuidString.lowercased(), email: principal.email,
                                        is_admin: principal.isAdmin))
        }
        router.get("/api/v1/admin/audit", auth: .admin) { request in
            let admin = try request.requirePrincipal()
            let pagination = try Pagination(request)
            let (records, total) = try auditLog.list(by: admin, action: request.query["action"],
                                                     limit: pagination.perPage, offset: pagination.offset)
            let items = records.map { record in
                AuditItem(id: record.id.uuidString.lowercased(), actor_id: record.entry.actorID?.uuidString.lowercased(),
                          action: record.entry.action, target_type: record.entry.targetType, target_id: record.entry.targetID,
                          details: JSONText.decode(record.entry.details) ?? .object([:]), created_at: record.createdAt)
            }
            return try Response.json(Page(items: items, total: total, pagination: pagination))
        }
    }
}
