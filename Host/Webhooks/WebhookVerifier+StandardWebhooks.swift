import Foundation
import RenumSecurity

extension WebhookVerifier {
    /// Standard Webhooks: HMAC-SHA256 over `{id}.{timestamp}.{raw body}`, any `v1` signature matching.
    func verifyStandardWebhooks(_ request: InboundWebhook, secret: StandardWebhookSecret, now: Date) -> VerificationResult {
        guard let signatureHeader = request.headers["webhook-signature"] else {
            return .rejected(reason: .missingSignature)
        }
        guard let id = request.headers["webhook-id"], !id.isEmpty,
              let timestampText = request.headers["webhook-timestamp"],
              let timestamp = Int64(timestampText.trimmingCharacters(in: .whitespaces)) else {
            return .rejected(reason: .malformedHeader)
        }
        // Checked before the MAC so that replays of old captures are named for what they are.
        guard abs(now.timeIntervalSince1970 - Double(timestamp)) <= timestampTolerance else {
            return .rejected(reason: .staleTimestamp)
        }
        guard let candidates = Self.v1Signatures(signatureHeader) else {
            return .rejected(reason: .malformedHeader)
        }
        // The signed content uses the timestamp exactly as sent, as the reference libraries do.
        var content = Array("\(id).\(timestampText).".utf8)
        content.append(contentsOf: request.rawBody)
        let expected = Crypto.hmacSHA256(key: secret.key, message: content)
        var matched = false
        // Every candidate is compared, so timing does not reveal which one matched.
        for candidate in candidates where Crypto.constantTimeEquals(candidate, expected) {
            matched = true
        }
        return matched ? .verified : .rejected(reason: .badSignature)
    }

    /// The decoded `v1` signatures of a `webhook-signature` header; entries of other
    /// versions (`v1a`, future ones) are ignored. Nil when no entry has the
    /// `version,signature` shape at all.
    static func v1Signatures(_ header: String) -> [[UInt8]]? {
        var wellFormed = 0
        var signatures: [[UInt8]] = []
        for entry in header.split(separator: " ", omittingEmptySubsequences: true) {
            guard let comma = entry.firstIndex(of: ","), comma != entry.startIndex,
                  entry.index(after: comma) != entry.endIndex else { continue }
            wellFormed += 1
            guard entry[..<comma] == "v1" else { continue }
            // A v1 entry that is not base64 cannot match; it does not spoil the others.
            if let data = Data(base64Encoded: String(entry[entry.index(after: comma)...])) {
                signatures.append(Array(data))
            }
        }
        return wellFormed == 0 ? nil : signatures
    }
}
