import Foundation
import RenumCore
import RenumStorage

/// An integration as the API shows it to its owner.
struct IntegrationResource: Encodable, Sendable {
    let id: String
    let userID: String
    let name: String
    let type: String
    let status: String
    let config: JSONValue
    let rateLimitPerMinute: Int
    let lastUsedAt: String?
    let createdAt: String
    let updatedAt: String

    init(_ record: IntegrationRecord) {
        id = record.id.uuidString.lowercased()
        userID = record.userID.uuidString.lowercased()
        name = record.name
        type = record.type
        status = record.status
        config = JSONText.decode(record.config) ?? .object([:])
        rateLimitPerMinute = record.rateLimitPerMinute
        lastUsedAt = record.lastUsedAt
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, type, status, config
        case userID = "user_id"
        case rateLimitPerMinute = "rate_limit_per_minute"
        case lastUsedAt = "last_used_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(userID, forKey: .userID)
        try container.encode(name, forKey: .name)
        try container.encode(type, forKey: .type)
        try container.encode(status, forKey: .status)
        try container.encode(config, forKey: .config)
        try container.encode(rateLimitPerMinute, forKey: .rateLimitPerMinute)
        try container.encode(lastUsedAt, forKey: .lastUsedAt)   // null until first use, not absent
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}
