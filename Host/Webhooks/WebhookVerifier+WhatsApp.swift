import Foundation
import RenumSecurity

extension WebhookVerifier {
    /// `X-Hub-Signature-256: sha256=<hex>`: HMAC-SHA256 of the raw body under the app secret.
    func verifyWhatsApp(_ request: InboundWebhook, appSecret: String) -> VerificationResult {
        // An empty key would make the signature computable by anyone.
        guard !appSecret.isEmpty else { return .rejected(reason: .misconfigured) }
        guard let header = request.headers["X-Hub-Signature-256"] else {
            return .rejected(reason: .missingSignature)
        }
        let value = header.trimmingCharacters(in: .whitespaces)
        guard value.count > 7, value.prefix(7).lowercased() == "sha256=" else {
            return .rejected(reason: .malformedHeader)
        }
        // Hex.decode accepts either case; comparing decoded bytes makes case irrelevant.
        guard let presented = Hex.decode(String(value.dropFirst(7))), presented.count == 32 else {
            return .rejected(reason: .malformedHeader)
        }
        let expected = Crypto.hmacSHA256(key: Array(appSecret.utf8), message: request.rawBody)
        return Crypto.constantTimeEquals(presented, expected) ? .verified : .rejected(reason: .badSignature)
    }
}
