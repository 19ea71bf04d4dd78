/// One webhook request as it reached the server, before anything has parsed its body.
///
/// Verification must see the body exactly as the provider signed it: re-serialising
/// JSON changes bytes and breaks every signature scheme, so only raw bytes live here.
public struct InboundWebhook: Sendable, Hashable {
    /// The HTTP method (`POST` for deliveries, `GET` for WhatsApp's handshake).
    public var method: String
    /// The request headers, looked up case-insensitively.
    public var headers: WebhookHeaders
    /// The body bytes exactly as received.
    public var rawBody: [UInt8]

    /// A request from its parts.
    public init(method: String = "POST", headers: WebhookHeaders, rawBody: [UInt8]) {
        self.method = method
        self.headers = headers
        self.rawBody = rawBody
    }
}
