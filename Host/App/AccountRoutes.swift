import Foundation
import RenumCore
import RenumHTTP
import RenumStorage

/// `/api/v1/me` (who the token says you are) and `/api/v1/admin/audit` (the audit trail).
struct AccountRoutes: Sendable {
    let auditLog: AuditLog

    struct AuditItem: JSONEncodable {
        let record: AuditRecord

        func encodeJSON(into writer: inout JSONWriter) {
            writer.object { w in
                w.field("id", record.id.lowercasedString)
                w.field("actor_id", record.entry.actorID?.lowercasedString)
                w.field("action", record.entry.action)
                w.field("target_type", record.entry.targetType)
                w.field("target_id", record.entry.targetID)
                w.key("details"); w.raw(record.entry.details)
                w.field("created_at", record.createdAt)
            }
        }
    }

    func register(on router: Router) {
        let auditLog = self.auditLog
        router.get("/api/v1/me", auth: .user) { request in
            let principal = try request.requirePrincipal()
            var me: [String: JSONValue] = ["user_id": .string(principal.userID.lowercasedString), "is_admin": .bool(principal.isAdmin)]
            me["email"] = principal.email.map(JSONValue.string) ?? .null
            return Response.json(JSONValue.object(me))
        }
        router.get("/api/v1/admin/audit", auth: .admin) { request in
            let admin = try request.requirePrincipal()
            let pagination = try Pagination(request)
            let (records, total) = try auditLog.list(by: admin, action: request.query["action"],
                                                     limit: pagination.perPage, offset: pagination.offset)
            return Response.json(Page(items: records.map(AuditItem.init), total: total, pagination: pagination))
        }
    }
}
