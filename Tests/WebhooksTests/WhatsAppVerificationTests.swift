import Foundation
import RenumSecurity
import Testing
@testable import RenumWebhooks

@Suite struct WhatsAppVerificationTests {
    let verifier = WebhookVerifier()
    let secret = "app-secret-123"
    let now = Date()

    @Test func checkValueFromProtocols() {
        let mac = Crypto.hmacSHA256(key: Array("secret".utf8), message: Array("test".utf8))
        #expect(Hex.encode(mac) == "0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914")
        let request = Fixtures.request(
            [("X-Hub-Signature-256", "sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914")],
            body: Fixtures.bytes("test"))
        #expect(verifier.verify(request, config: .whatsapp(appSecret: "secret"), now: now) == .verified)
    }

    @Test func validSignatureAnyHeaderCaseAndHexCase() {
        let body = Fixtures.bytes(Fixtures.whatsappText)
        let signature = Fixtures.whatsappSignature(secret: secret, body: body)
        for (name, value) in [("X-Hub-Signature-256", signature), ("x-hub-signature-256", signature.uppercased().replacingOccurrences(of: "SHA256=", with: "sha256="))] {
            let result = verifier.verify(Fixtures.request([(name, value)], body: body), config: .whatsapp(appSecret: secret), now: now)
            #expect(result == .verified)
        }
    }

    @Test func schemeInAnyCaseAndSurroundingBlanksAreAccepted() {
        let body = Fixtures.bytes(Fixtures.whatsappText)
        let hex = String(Fixtures.whatsappSignature(secret: secret, body: body).dropFirst("sha256=".count))
        for value in ["SHA256=" + hex, " \tSha256=" + hex + " ", "sha256=" + hex + "\t"] {
            let result = verifier.verify(Fixtures.request([("X-Hub-Signature-256", value)], body: body),
                                         config: .whatsapp(appSecret: secret), now: now)
            #expect(result == .verified, "\(value.prefix(12))")
        }
        for value in ["sha256 =" + hex, "sha2567" + hex, "xsha256=" + hex] {
            let result = verifier.verify(Fixtures.request([("X-Hub-Signature-256", value)], body: body),
                                         config: .whatsapp(appSecret: secret), now: now)
            #expect(result == .rejected(reason: .malformedHeader), "\(value.prefix(12))")
        }
    }

    @Test func bodyAlteredByOneByteFails() {
        var body = Fixtures.bytes(Fixtures.whatsappText)
        let signature = Fixtures.whatsappSignature(secret: secret, body: body)
        body[body.count / 2] ^= 0x01
        let result = verifier.verify(Fixtures.request([("X-Hub-Signature-256", signature)], body: body),
                                     config: .whatsapp(appSecret: secret), now: now)
        #expect(result == .rejected(reason: .badSignature))
    }

    @Test func wrongMissingAndMalformed() {
        let body = Fixtures.bytes(Fixtures.whatsappText)
        let wrong = Fixtures.whatsappSignature(secret: "other-secret", body: body)
        let cases: [([(String, String)], RejectionReason)] = [
            ([("X-Hub-Signature-256", wrong)], .badSignature),
            ([], .missingSignature),
            ([("X-Hub-Signature-256", "sha1=" + String(repeating: "ab", count: 32))], .malformedHeader),
            ([("X-Hub-Signature-256", "sha256=xyz")], .malformedHeader),
            ([("X-Hub-Signature-256", "sha256=" + String(repeating: "ab", count: 31))], .malformedHeader),
            ([("X-Hub-Signature-256", "sha256=")], .malformedHeader),
        ]
        for (headers, reason) in cases {
            let result = verifier.verify(Fixtures.request(headers, body: body), config: .whatsapp(appSecret: secret), now: now)
            #expect(result == .rejected(reason: reason))
        }
    }

    @Test func emptyAppSecretNeverVerifies() {
        let body = Fixtures.bytes("{}")
        let signature = Fixtures.whatsappSignature(secret: "", body: body)
        let result = verifier.verify(Fixtures.request([("X-Hub-Signature-256", signature)], body: body),
                                     config: .whatsapp(appSecret: ""), now: now)
        #expect(result == .rejected(reason: .misconfigured))
    }

    @Test func handshake() {
        let good = ["hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"]
        #expect(verifier.whatsappHandshake(query: good, verifyToken: "verify-me") == .accepted(challenge: "1158201444"))
        var wrongToken = good
        wrongToken["hub.verify_token"] = "verify-you"
        #expect(verifier.whatsappHandshake(query: wrongToken, verifyToken: "verify-me") == .forbidden)
        var wrongMode = good
        wrongMode["hub.mode"] = "unsubscribe"
        #expect(verifier.whatsappHandshake(query: wrongMode, verifyToken: "verify-me") == .forbidden)
        #expect(verifier.whatsappHandshake(query: ["hub.mode": "subscribe", "hub.challenge": "1"], verifyToken: "verify-me") == .forbidden)
        #expect(verifier.whatsappHandshake(query: ["hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"], verifyToken: "") == .forbidden)
    }

    @Test func rejectionMessagesNeverEchoSecrets() {
        for reason in RejectionReason.allCases {
            #expect(!reason.message.contains(secret))
            #expect(!reason.message.isEmpty)
            #expect(!reason.code.isEmpty)
        }
    }
}
