import Foundation
import RenumSecurity
import Testing
@testable import RenumWebhooks

@Suite struct StandardWebhooksTests {
    let verifier = WebhookVerifier()
    let secretText = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    let id = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    let timestamp = 1614265330
    let body = Fixtures.bytes(#"{"test": 2432232314}"#)
    let vector = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

    private var key: [UInt8] { Array(Data(base64Encoded: String(secretText.dropFirst(6)))!) }
    private var config: VerificationConfig { .standardWebhooks(try! StandardWebhookSecret(secretText)) }

    private func request(signature: String?, id: String? = nil, timestamp: String? = nil, body: [UInt8]? = nil) -> InboundWebhook {
        var headers: [(String, String)] = [("webhook-id", id ?? self.id), ("webhook-timestamp", timestamp ?? String(self.timestamp))]
        if let signature { headers.append(("webhook-signature", signature)) }
        return Fixtures.request(headers, body: body ?? self.body)
    }

    private func at(_ offset: TimeInterval) -> Date { Date(timeIntervalSince1970: Double(timestamp) + offset) }

    @Test func independentSignatureMatchesTheVector() {
        #expect(Fixtures.standardSignature(key: key, id: id, timestamp: timestamp, body: body) == vector)
    }

    @Test func vectorVerifiesNearItsTimestamp() {
        for offset in [0.0, 30, -30, 299, -299] {
            #expect(verifier.verify(request(signature: vector), config: config, now: at(offset)) == .verified)
        }
    }

    @Test func staleWhenSixMinutesOff() {
        #expect(verifier.verify(request(signature: vector), config: config, now: at(360)) == .rejected(reason: .staleTimestamp))
        #expect(verifier.verify(request(signature: vector), config: config, now: at(-360)) == .rejected(reason: .staleTimestamp))
    }

    @Test func keyRotationEitherSignatureMatches() {
        let oldKey = Crypto.randomBytes(32)
        let old = Fixtures.standardSignature(key: oldKey, id: id, timestamp: timestamp, body: body)
        let bogus = "v1," + Data(Crypto.randomBytes(32)).base64EncodedString()
        #expect(verifier.verify(request(signature: "\(old) \(vector)"), config: config, now: at(0)) == .verified)
        #expect(verifier.verify(request(signature: "\(vector) \(old)"), config: config, now: at(0)) == .verified)
        // The integration rotated to the old key's successor: the old key's config accepts too.
        let oldConfig = VerificationConfig.standardWebhooks(try! StandardWebhookSecret(keyBytes: oldKey))
        #expect(verifier.verify(request(signature: "\(old) \(vector)"), config: oldConfig, now: at(0)) == .verified)
        #expect(verifier.verify(request(signature: "\(bogus) \(old)"), config: config, now: at(0)) == .rejected(reason: .badSignature))
    }

    @Test func otherVersionsAreIgnored() {
        let sigOnly = String(vector.dropFirst(3))
        #expect(verifier.verify(request(signature: "v1a,\(sigOnly) \(vector)"), config: config, now: at(0)) == .verified)
        #expect(verifier.verify(request(signature: "v2,\(sigOnly)"), config: config, now: at(0)) == .rejected(reason: .badSignature))
    }

    @Test func wrongMissingMalformed() {
        let wrong = Fixtures.standardSignature(key: Crypto.randomBytes(24), id: id, timestamp: timestamp, body: body)
        #expect(verifier.verify(request(signature: wrong), config: config, now: at(0)) == .rejected(reason: .badSignature))
        #expect(verifier.verify(request(signature: nil), config: config, now: at(0)) == .rejected(reason: .missingSignature))
        #expect(verifier.verify(request(signature: "garbage"), config: config, now: at(0)) == .rejected(reason: .malformedHeader))
        #expect(verifier.verify(request(signature: vector, timestamp: "soon"), config: config, now: at(0)) == .rejected(reason: .malformedHeader))
        #expect(verifier.verify(request(signature: vector, id: ""), config: config, now: at(0)) == .rejected(reason: .malformedHeader))
        // The id and timestamp are signed: changing either breaks the signature.
        #expect(verifier.verify(request(signature: vector, id: "msg_other"), config: config, now: at(0)) == .rejected(reason: .badSignature))
        #expect(verifier.verify(request(signature: vector, timestamp: String(timestamp + 1)), config: config, now: at(0)) == .rejected(reason: .badSignature))
    }

    @Test func bodyAlteredByOneByteFails() {
        var altered = body
        altered[altered.count - 2] = UInt8(ascii: "5")
        #expect(verifier.verify(request(signature: vector, body: altered), config: config, now: at(0)) == .rejected(reason: .badSignature))
    }

    @Test func appliesToAnyPlatformWithASigningSecret() {
        // A WhatsApp-shaped body relayed with Standard Webhooks: no X-Hub-Signature-256 needed.
        let body = Fixtures.bytes(Fixtures.whatsappText)
        let signature = Fixtures.standardSignature(key: key, id: id, timestamp: timestamp, body: body)
        #expect(verifier.verify(request(signature: signature, body: body), config: config, now: at(0)) == .verified)
    }

    @Test func malformedSecretsAreRefusedAtConfiguration() {
        #expect(throws: WebhookConfigError.malformedSigningSecret) { try StandardWebhookSecret("whsec_not base64!") }
        #expect(throws: WebhookConfigError.malformedSigningSecret) { try StandardWebhookSecret("whsec_") }
    }
}
