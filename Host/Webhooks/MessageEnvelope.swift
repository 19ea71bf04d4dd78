/// One platform event in the shape agents receive, whatever platform it came from.
public struct MessageEnvelope: Sendable, Hashable {
    /// What the event is.
    public enum Kind: String, Sendable, Hashable {
        /// Someone sent something (a text, a button press, a media caption).
        case message
        /// A delivery or read receipt for something we sent.
        case status
        /// Anything else the platform reported.
        case other
    }

    /// Where the event came from.
    public var platform: WebhookPlatform
    /// The platform's id of whoever sent it (WhatsApp wa_id, Telegram user id); nil when unknown.
    public var sender: String?
    /// The conversation to answer in (WhatsApp: the customer's wa_id; Telegram: chat id).
    public var chat: String?
    /// The text, caption or button payload, when the event carries one.
    public var text: String?
    /// The provider's ids for this event, the keys it is deduplicated on.
    public var providerIDs: [String]
    /// When the provider says the event happened, else when it arrived: UTC ISO-8601.
    public var receivedAt: String
    /// What the event is.
    public var kind: Kind
    /// A one-line description without personal data, for logs and dashboards.
    public var summary: String

    /// An envelope from its parts.
    public init(platform: WebhookPlatform, sender: String?, chat: String?, text: String?, providerIDs: [String],
                receivedAt: String, kind: Kind, summary: String) {
        self.platform = platform
        self.sender = sender
        self.chat = chat
        self.text = text
        self.providerIDs = providerIDs
        self.receivedAt = receivedAt
        self.kind = kind
        self.summary = summary
    }
}
