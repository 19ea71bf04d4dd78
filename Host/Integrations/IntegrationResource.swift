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
    /// Names of the config fields kept in the vault; their values are never shown.
    let secretFields: [String]
    /// Where the provider must send events.
    let webhookURL: String
    /// The integration token: only in the answers to create and regenerate-token.
    var token: String?

    init(_ record: IntegrationRecord, webhookURL: String, token: String? = nil) {
        secretFields = record.secretFields
        self.webhookURL = webhookURL
        self.token = token
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
            w.key("secret_fields"); w.array(secretFields) { $0.string($1) }
            w.field("webhook_url", webhookURL)
            if let token { w.field("token", token) }
            w.field("rate_limit_per_minute", rateLimitPerMinute)
            w.field("last_used_at", lastUsedAt)   // null until first use, not absent
            w.field("created_at", createdAt)
            w.field("updated_at", updatedAt)
        }
    }
}
