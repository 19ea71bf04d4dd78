/// The kinds of integration that deliver webhooks to Renum.
public enum WebhookPlatform: String, Sendable, Hashable, CaseIterable {
    case whatsapp
    case telegram
    case zapier
    case n8n
    case make
    case generic
}
