import Foundation
import RenumSecurity
import Testing
@testable import RenumWebhooks

@Suite struct CredentialVerificationTests {
    let verifier = WebhookVerifier()
    let now = Date()
    let body = Fixtures.bytes(#"{"text":"hi"}"#)

    private func check(_ headers: [(String, String)], _ config: VerificationConfig) -> VerificationResult {
        verifier.verify(Fixtures.request(headers, body: body), config: config, now: now)
    }

    @Test func telegram() {
        let config = VerificationConfig.telegram(webhookSecret: "tg_SECRET-1")
        #expect(check([("X-Telegram-Bot-Api-Secret-Token", "tg_SECRET-1")], config) == .verified)
        #expect(check([("x-telegram-bot-api-secret-token", "tg_SECRET-1")], config) == .verified)
        #expect(check([("X-Telegram-Bot-Api-Secret-Token", "tg_SECRET-2")], config) == .rejected(reason: .badCredential))
        #expect(check([("X-Telegram-Bot-Api-Secret-Token", "tg_SECRET-10")], config) == .rejected(reason: .badCredential))
        #expect(check([], config) == .rejected(reason: .missingCredential))
        #expect(check([("X-Telegram-Bot-Api-Secret-Token", "")], .telegram(webhookSecret: "")) == .rejected(reason: .misconfigured))
    }

    @Test func zapierAndGenericCompareTokenHashes() {
        let token = "rnm_live_abcdef0123456789"
        let stored = Hex.encode(Crypto.sha256(Array(token.utf8)))
        for config in [VerificationConfig.zapier(tokenHash: stored), .generic(tokenHash: stored), .generic(tokenHash: stored.uppercased())] {
            #expect(check([("Authorization", "Bearer \(token)")], config) == .verified)
            #expect(check([("authorization", "bearer \(token)")], config) == .verified)
            #expect(check([("Authorization", "Bearer \(token)x")], config) == .rejected(reason: .badCredential))
            #expect(check([("Authorization", "Basic \(token)")], config) == .rejected(reason: .malformedHeader))
            #expect(check([("Authorization", "Bearer")], config) == .rejected(reason: .malformedHeader))
            #expect(check([("Authorization", token)], config) == .rejected(reason: .malformedHeader))
            #expect(check([], config) == .rejected(reason: .missingCredential))
        }
        #expect(check([("Authorization", "Bearer \(token)")], .generic(tokenHash: "not-hex")) == .rejected(reason: .misconfigured))
    }

    @Test func makeUsesApiKeyOrFallsBackToToken() {
        let token = "rnm_make_token"
        let stored = Hex.encode(Crypto.sha256(Array(token.utf8)))
        let withKey = VerificationConfig.make(apiKey: "mk-123", tokenHash: stored)
        #expect(check([("x-make-apikey", "mk-123")], withKey) == .verified)
        #expect(check([("X-Make-ApiKey", "mk-124")], withKey) == .rejected(reason: .badCredential))
        #expect(check([("Authorization", "Bearer \(token)")], withKey) == .rejected(reason: .missingCredential))
        for withoutKey in [VerificationConfig.make(apiKey: nil, tokenHash: stored), .make(apiKey: "", tokenHash: stored)] {
            #expect(check([("Authorization", "Bearer \(token)")], withoutKey) == .verified)
            #expect(check([("x-make-apikey", "mk-123")], withoutKey) == .rejected(reason: .missingCredential))
            #expect(check([("Authorization", "Bearer wrong")], withoutKey) == .rejected(reason: .badCredential))
        }
    }

    @Test func n8nAuthModes() {
        #expect(check([], .n8n(.none)) == .verified)

        let header = VerificationConfig.n8n(.header(name: "X-N8N-Key", value: "n8n-value"))
        #expect(check([("x-n8n-key", "n8n-value")], header) == .verified)
        #expect(check([("X-N8N-Key", "n8n-wrong")], header) == .rejected(reason: .badCredential))
        #expect(check([], header) == .rejected(reason: .missingCredential))

        let basic = VerificationConfig.n8n(.basic(username: "ana", password: "p4ss:word"))
        let encoded = Data("ana:p4ss:word".utf8).base64EncodedString()
        let wrong = Data("ana:p4ss".utf8).base64EncodedString()
        #expect(check([("Authorization", "Basic \(encoded)")], basic) == .verified)
        #expect(check([("Authorization", "Basic \(wrong)")], basic) == .rejected(reason: .badCredential))
        #expect(check([("Authorization", "Basic !!!")], basic) == .rejected(reason: .malformedHeader))
        #expect(check([("Authorization", "Bearer \(encoded)")], basic) == .rejected(reason: .malformedHeader))
        #expect(check([], basic) == .rejected(reason: .missingCredential))

        let bearer = VerificationConfig.n8n(.bearer(token: "jwt-or-token"))
        #expect(check([("Authorization", "Bearer jwt-or-token")], bearer) == .verified)
        #expect(check([("Authorization", "Bearer jwt-or-tokem")], bearer) == .rejected(reason: .badCredential))
        #expect(check([("Authorization", "Token jwt-or-token")], bearer) == .rejected(reason: .malformedHeader))
    }
}
