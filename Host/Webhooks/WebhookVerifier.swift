import Foundation

/// Decides whether a delivery really comes from the integration's provider.
///
/// Works only on the raw body bytes and headers, before any JSON parsing, and
/// compares every secret-derived value in constant time. Stateless and `Sendable`:
/// one instance serves all requests.
public struct WebhookVerifier: Sendable {
    /// How far a Standard Webhooks timestamp may be from now, either way (the
    /// reference libraries all use five minutes).
    public let timestampTolerance: TimeInterval

    /// A verifier with the given Standard Webhooks tolerance.
    public init(timestampTolerance: TimeInterval = 300) {
        self.timestampTolerance = timestampTolerance
    }

    /// Verifies `request` against the integration's `config` at time `now`.
    public func verify(_ request: InboundWebhook, config: VerificationConfig, now: Date) -> VerificationResult {
        switch config {
        case .whatsapp(let appSecret):
            return verifyWhatsApp(request, appSecret: appSecret)
        case .telegram(let webhookSecret):
            return verifyHeaderSecret(request, header: "X-Telegram-Bot-Api-Secret-Token", expected: webhookSecret)
        case .make(let apiKey, let tokenHash):
            if let apiKey, !apiKey.isEmpty {
                return verifyHeaderSecret(request, header: "x-make-apikey", expected: apiKey)
            }
            return verifyIntegrationToken(request, tokenHash: tokenHash)
        case .n8n(let auth):
            return verifyN8n(request, auth: auth)
        case .zapier(let tokenHash), .generic(let tokenHash):
            return verifyIntegrationToken(request, tokenHash: tokenHash)
        case .standardWebhooks(let secret):
            return verifyStandardWebhooks(request, secret: secret, now: now)
        }
    }
}
