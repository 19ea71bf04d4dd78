import Foundation
import RenumCore
import RenumStorage

/// An integration as the API shows it to its owner.
struct IntegrationResource: JSONEncodable {
    let id: String
    let userID: String
    let name: String
    let type: String
    let status: String
    /// Stored JSON text, written out as it is (it was produced by our own encoder).
    let config: String
    let rateLimitPerMinute: Int
    let lastUsedAt: String?
    let createdAt: String
    let updatedAt: String

    init(_ record: IntegrationRecord) {
        id = record.id.lowercasedString
        userID = record.userID.lowercasedString
        name = record.name
        type = record.type
        status = record.status
        config = record.config
        rateLimitPerMinute = record.rateLimitPerMinute
        lastUsedAt = record.lastUsedAt
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }

    func encodeJSON(into writer: inout JSONWriter) {
        writer.object { w in
            w.field("id", id)
            w.field("user_id", userID)
            w.field("name", name)
            w.field("type", type)
            w.field("status", status)
            w.key("config"); w.raw(config)
            w.field("rate_limit_per_minute", rateLimitPerMinute)
            w.field("last_used_at", lastUsedAt)   // null until first use, not absent
            w.field("created_at", createdAt)
            w.field("updated_at", updatedAt)
        }
    }
}
