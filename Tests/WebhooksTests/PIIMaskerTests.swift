import Foundation
import RenumCore
import Testing
@testable import RenumWebhooks

@Suite struct PIIMaskerTests {
    let masker = PIIMasker()

    /// Every phone number and address that appears in the fixtures, in the forms they appear.
    let secretsInFixtures = [
        "5511987654321", "98765-4321", "987654321", "15550783881", "5521912345678", "912 345-67-89", "9123456789",
        "joana.silva@example.com", "ivan@mail.example.org", "Joana Silva", "ivan_p", "Ivan\"",
    ]

    @Test func whatsappPayloadKeepsNoPhoneOrEmail() {
        let masked = masker.maskedPayloadJSON(Fixtures.bytes(Fixtures.whatsappText))
        for secret in secretsInFixtures { #expect(!masked.contains(secret), "\(secret) survived") }
        #expect(masked.contains("55*******4321"))
        #expect(masked.contains("j***@example.com"))
        #expect(masked.contains("+55*******4321"))
        // Structure and non-personal fields survive.
        #expect(masked.contains("wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFjNFQjBDMEQ5"))
        #expect(masked.contains(#""timestamp":"1733340000""#))
        let reparsed = try? JSONDecoder().decode(JSONValue.self, from: Data(masked.utf8))
        #expect(reparsed?["entry"]?.arrayValue?.count == 1)
    }

    @Test func whatsappStatusAndTwoMessages() {
        for payload in [Fixtures.whatsappStatus, Fixtures.whatsappTwoMessages] {
            let masked = masker.maskedPayloadJSON(Fixtures.bytes(payload))
            for secret in secretsInFixtures { #expect(!masked.contains(secret), "\(secret) survived") }
            #expect(masked.contains("\"status\":\"delivered\"") || masked.contains("\"body\":\"first\""))
        }
    }

    @Test func telegramPayloadKeepsNoPhoneOrEmail() {
        let masked = masker.maskedPayloadJSON(Fixtures.bytes(Fixtures.telegramMessage))
        for secret in secretsInFixtures { #expect(!masked.contains(secret), "\(secret) survived") }
        #expect(masked.contains("i***@mail.example.org"))
        #expect(masked.contains("+79*****6789"))
        #expect(masked.contains("\"update_id\":902345678"))
    }

    @Test func secretsInPayloadsAreRedactedWhole() {
        let body = #"{"config":{"access_token":"EAAG123","app_secret":"s3cr3t","nested":[{"password":"hunter2","api_key":"k"}]},"bot_token":"1:AA"}"#
        let masked = masker.maskedPayloadJSON(Fixtures.bytes(body))
        for secret in ["EAAG123", "s3cr3t", "hunter2", "1:AA"] { #expect(!masked.contains(secret)) }
        #expect(masked.contains(#""api_key":"[REDACTED]""#))
    }

    @Test func textMasking() {
        #expect(masker.maskText("mail john.doe+x@example.co.uk now.") == "mail j***@example.co.uk now.")
        #expect(masker.maskText("call (11) 98765-4321 or +1 555 010 9999") == "call (11*****4321 or +15*****9999")
        #expect(masker.maskText("order 123456 ok") == "order 123456 ok")
        #expect(masker.maskText("id wamid.HBgL1234567890 and abc12345678") == "id wamid.HBgL1234567890 and abc12345678")
        #expect(masker.maskText("total 1234567.89") == "total 1234567.89")
        #expect(masker.maskText("no pii here @ all") == "no pii here @ all")
    }

    @Test func headersAreRedacted() {
        let headers: WebhookHeaders = [
            "Authorization": "Bearer rnm_secret", "Cookie": "s=1", "X-Hub-Signature-256": "sha256=abc",
            "X-Telegram-Bot-Api-Secret-Token": "tg", "x-make-apikey": "mk", "webhook-signature": "v1,xyz",
            "X-Custom-Auth": "c", "X-Session-Key": "sk", "Content-Type": "application/json", "X-Reply-To": "ana@example.com",
        ]
        let masked = Dictionary(uniqueKeysWithValues: masker.mask(headers).map { ($0.name, $0.value) })
        for name in ["Authorization", "Cookie", "X-Hub-Signature-256", "X-Telegram-Bot-Api-Secret-Token", "x-make-apikey",
                     "webhook-signature", "X-Custom-Auth", "X-Session-Key"] {
            #expect(masked[name] == PIIMasker.redacted, "\(name)")
        }
        #expect(masked["Content-Type"] == "application/json")
        #expect(masked["X-Reply-To"] == "a***@example.com")
        let json = masker.maskedHeadersJSON(headers)
        for secret in ["rnm_secret", "sha256=abc", "v1,xyz", "ana@example.com"] { #expect(!json.contains(secret)) }
        #expect(json.contains(#""content-type":"application/json""#))
    }

    @Test func nonJSONBodyIsLoggedAsMaskedString() {
        let masked = masker.maskedPayloadJSON(Fixtures.bytes("from=+5511987654321&mail=a@b.io"))
        #expect(masked == #""from=+55*******4321&mail=a***@b.io""#)
    }
}
