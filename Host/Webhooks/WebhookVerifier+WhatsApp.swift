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
        // On the header's bytes: Foundation's trimming and substring cost more than the HMAC.
        var value = Substring(header).utf8[...]
        while let first = value.first, first == 0x20 || first == 0x09 { value = value.dropFirst() }
        while let last = value.last, last == 0x20 || last == 0x09 { value = value.dropLast() }
        let scheme = Array("sha256=".utf8)
        guard value.count > scheme.count,
              zip(value.prefix(scheme.count), scheme).allSatisfy({ $0 == $1 || ($1 >= 0x61 && $1 <= 0x7A && $0 == $1 - 0x20) }) else {
            return .rejected(reason: .malformedHeader)
        }
        // Hex.decode accepts either case; comparing decoded bytes makes case irrelevant.
        guard let presented = Hex.decode(String(Substring(value.dropFirst(scheme.count)))), presented.count == 32 else {
            return .rejected(reason: .malformedHeader)
        }
        let expected = Crypto.hmacSHA256(key: Array(appSecret.utf8), message: request.rawBody)
        return Crypto.constantTimeEquals(presented, expected) ? .verified : .rejected(reason: .badSignature)
    }
}
