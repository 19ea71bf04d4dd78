import Foundation
import RenumCore
import RenumStorage
import RenumWebhooks

/// An integration made ready for the webhook path: secrets opened, verification decided.
///
/// Built once per cache fill, so the hot path neither reads the database nor opens the vault.
struct WebhookIntegration: Sendable {
    let routed: RoutedIntegration
    let status: IntegrationStatus
    let rateLimit: RateLimit
    /// Nil when the stored settings cannot verify anything: every delivery is then refused.
    let verification: VerificationConfig?
    /// WhatsApp's `webhook_verify_token`, for the GET handshake.
    let verifyToken: String?
    let destination: EventDestination

    var id: UUID { routed.id }
    var userID: UUID { routed.userID }
    var type: IntegrationType { routed.type }
    var platform: WebhookPlatform { WebhookPlatform(rawValue: routed.type.rawValue) ?? .generic }

    init(_ row: WebhookIntegrationRow, secrets: [String: String]) {
        let record = row.record
        let type = IntegrationType(rawValue: record.type) ?? .generic
        routed = RoutedIntegration(id: record.id, userID: record.userID, name: record.name, type: type)
        status = IntegrationStatus(rawValue: record.status) ?? .active
        rateLimit = .perMinute(record.rateLimitPerMinute)
        let config = JSONText.decode(record.config)
        destination = IntegrationConfig.destination(in: config)
        verifyToken = secrets["webhook_verify_token"]
        verification = Self.verification(type: type, config: config, secrets: secrets, tokenHash: row.tokenHash)
    }

    private static func verification(type: IntegrationType, config: JSONValue?, secrets: [String: String],
                                     tokenHash: String?) -> VerificationConfig? {
        if let signing = secrets["signing_secret"] {
            return (try? StandardWebhookSecret(signing)).map(VerificationConfig.standardWebhooks)
        }
        switch type {
        case .whatsapp: return secrets["app_secret"].map { .whatsapp(appSecret: $0) }
        case .telegram: return secrets["webhook_secret"].map { .telegram(webhookSecret: $0) }
        case .make: return .make(apiKey: secrets["api_key"], tokenHash: tokenHash ?? "")
        case .zapier: return tokenHash.map { .zapier(tokenHash: $0) }
        case .generic: return tokenHash.map { .generic(tokenHash: $0) }
        case .n8n:
            let auth = config?["auth"]
            switch auth?["type"]?.stringValue {
            case "none": return .n8n(.none)
            case "header":
                guard let name = auth?["name"]?.stringValue, let value = secrets["auth.value"] else { return nil }
                return .n8n(.header(name: name, value: value))
            case "basic":
                guard let user = auth?["username"]?.stringValue, let password = secrets["auth.password"] else { return nil }
                return .n8n(.basic(username: user, password: password))
            case "bearer":
                return secrets["auth.token"].map { .n8n(.bearer(token: $0)) }
            default: return nil
            }
        }
    }
}
