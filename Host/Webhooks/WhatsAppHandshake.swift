/// The answer to WhatsApp's `GET` verification handshake.
public enum HandshakeResult: Sendable, Hashable {
    /// 200 with exactly this text as the plain body.
    case accepted(challenge: String)
    /// 403.
    case forbidden
}

extension WebhookVerifier {
    /// Meta's subscription check: `hub.mode=subscribe`, `hub.verify_token` equal to the
    /// configured token (constant time), and `hub.challenge` echoed back.
    public func whatsappHandshake(query: [String: String], verifyToken: String) -> HandshakeResult {
        guard !verifyToken.isEmpty,
              query["hub.mode"] == "subscribe",
              let presented = query["hub.verify_token"],
              let challenge = query["hub.challenge"] else { return .forbidden }
        return SecretComparison.equal(presented, verifyToken) ? .accepted(challenge: challenge) : .forbidden
    }
}
