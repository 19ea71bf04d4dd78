import Foundation
import RenumCore
import Testing
@testable import RenumWebhooks

/// The byte-level masker against the one it replaced (`LegacyPIIMasker`): same output for
/// the fixtures, for hand-picked edge cases and for a few thousand seeded random inputs.
@Suite struct MaskerEquivalenceTests {
    let masker = PIIMasker()
    let legacy = LegacyPIIMasker()

    static let payloads = [
        Fixtures.whatsappText, Fixtures.whatsappStatus, Fixtures.whatsappTwoMessages, Fixtures.telegramMessage,
        #"{"config":{"access_token":"EAAG123","app_secret":"s3cr3t","nested":[{"password":"hunter2","api_key":"k"}]},"bot_token":"1:AA"}"#,
        // Arrays take their key's category; secrets redact whole containers but keep null.
        #"{"to":["5511987654321","ana@example.com",15551234567],"token":null,"secret":[1,2],"refresh-token":{"a":"b"}}"#,
        #"{"timestamp":["1733340000","17333 40000","t 5511987654321"],"date":1733340200,"edit_date":"","time":"12:00"}"#,
        // Everything under a personal key is personal, at any depth.
        #"{"profile":{"name":"Joana","ids":[12345,1234567,1.5e3,-98765432101],"nested":{"x":true,"y":null}}}"#,
        #"{"from":{"id":123456789012345678901,"username":"élise@example.com","first_name":"Ünal"}}"#,
        #"{"text":"Olá, joão.silva@exemplo.com.br ou +55 (11) 98765-4321. Obrigado!","caption":"n° 1234567.89"}"#,
        #"{"Phone-Number":"+1 555 010 9999","E-MAIL":"x@y.z","UserName":"ana","PrivateKey":"k","x-api-key":"v"}"#,
        #"[1,"two",{"b":2,"a":1,"c":{"wa_id":"5511987654321"}},[],{},null,true,0.1,-0,1e21,123456789012345678]"#,
        #""just a string with +5511987654321""#,
        #"{"ключ":"значение 5511987654321","emoji":"😀 a@b.io 😀","combining":"e\u0301 1234567"}"#,
    ]

    @Test(arguments: payloads)
    func writeMaskedMatchesMaskThenWriteAndTheOldMasker(_ payload: String) throws {
        let value = try JSONParser.parse(payload)
        var direct = JSONWriter()
        masker.writeMasked(value, to: &direct)
        var viaTree = JSONWriter()
        viaTree.value(masker.mask(value))
        var old = JSONWriter()
        old.value(legacy.mask(value))
        #expect(direct.text == old.text)
        #expect(viaTree.text == old.text)
        #expect(masker.maskedPayloadJSON(Array(payload.utf8)) == legacy.maskedPayloadJSON(Array(payload.utf8)))
    }

    @Test func randomPayloadsMaskAsBefore() {
        var random = SplitMix(seed: 7)
        for _ in 0..<400 {
            let value = Self.randomValue(depth: 0, key: nil, using: &random)
            var direct = JSONWriter()
            masker.writeMasked(value, to: &direct)
            var old = JSONWriter()
            old.value(legacy.mask(value))
            #expect(direct.text == old.text)
            #expect(masker.mask(value) == legacy.mask(value))
        }
    }

    static let keys = [
        "token", "TOKEN", "Access-Token", "x_access_token_v2", "secret", "clientSecret", "password", "passwd", "PassWord1",
        "api_key", "api-key", "apikey", "x-api-key", "private_key", "private-key", "authorization", "cookie", "cookies",
        "phone", "phone_number", "phoneNumber", "display_phone_number", "phone_number_id", "telephone", "wa_id", "WA-ID",
        "from", "From", "to", "TO", "recipient_id", "email", "EMAIL", "e_mail", "e-mail", "contact_email", "mail", "input",
        "profile", "first_name", "last_name", "full_name", "username", "timestamp", "Timestamp", "date", "edit_date",
        "edit-date", "time", "times", "id", "object", "entry", "changes", "value", "messaging_product", "metadata", "contacts",
        "name", "messages", "context", "type", "text", "body", "field", "statuses", "status", "", "-", "_", "t", "tok",
        "toke", "tokens", "secrettoken", "phonetoken", "emailphone", "update_id", "message_id", "chat", "is_bot",
        // Non-ASCII: Unicode lowercasing (Kelvin sign, dotted I, sharp s) and whole-character
        // matching (a combining mark after a fragment's last letter hides it).
        "TO\u{212A}EN", "my_tokené", "token\u{301}", "tokén", "İtoken", "ﬁrst_name", "ph\u{301}one", "e\u{301}mail",
        "email\u{301}", "\u{301}token", "ab-\u{301}cd", "wa\u{2010}id", "ＴＯＫＥＮ", "ẞtoken", "Σtoken", "\u{600}token",
        "token\u{200D}", "ключ", "wa-i\u{301}d", "FRO\u{212A}",
    ]

    @Test func keyCategoriesAreAsBefore() {
        var random = SplitMix(seed: 11)
        let alphabet = Array("tokenseapiwdhmlrvy_-TOKENAPHX0")
        let randomKeys = (0..<3000).map { _ in String((0..<Int.random(in: 0...14, using: &random)).map { _ in alphabet.randomElement(using: &random)! }) }
        for key in Self.keys + randomKeys {
            #expect("\(SensitiveKeys.category(key))" == "\(LegacySensitiveKeys.category(key))", "\(key.debugDescription)")
        }
    }

    @Test func secretHeadersAreAsBefore() {
        var random = SplitMix(seed: 13)
        let alphabet = Array("tokensecrkyigauhpwd-_XTSKAo")
        let randomNames = (0..<3000).map { _ in String((0..<Int.random(in: 0...16, using: &random)).map { _ in alphabet.randomElement(using: &random)! }) }
        let names = ["Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Hub-Signature-256", "X-Hub-Signature",
                     "X-Telegram-Bot-Api-Secret-Token", "x-make-apikey", "webhook-signature", "X-API-Key", "X-Custom-Auth",
                     "X-Session-Key", "Content-Type", "Host", "User-Agent", "X-Reply-To", "Accept", "X-Forwarded-For", "key",
                     "ke", "Monkey", "X-Passwords", "Au\u{301}th", "\u{212A}ey", "Sıgnature", "x-tokén"]
        for name in names + randomNames {
            #expect(SensitiveKeys.isSecretHeader(name) == LegacySensitiveKeys.isSecretHeader(name), "\(name.debugDescription)")
        }
    }

    static let texts = [
        "", "@", "a@", "@b.io", "a@b", "a@b.", "a@b.io.", "a@b..io", "a@.io", "a@b.io-", "x a@b.io, c@d.org; e@f",
        "mail john.doe+x@example.co.uk now.", "a@b@c.com", "@@x.io", "a.@b.io", "%+-._@b.io", "a@b-.io", "a@-b.io",
        "call (11) 98765-4321 or +1 555 010 9999", "order 123456 ok", "id wamid.HBgL1234567890 and abc12345678",
        "total 1234567.89", "no pii here @ all", "1234567", "123456", "+1234567", "+123456", "++1234567", "1234567.",
        "1234567.8", "x1234567", "_1234567", ".1234567", "1234567_", "1234567x", "1 2 3 4 5 6 7", "(1)(2)(3)(4)(5)(6)(7)",
        "1234567 7654321", "12345678901234567890", "--1234567--", "+55 11 98765-4321 e +55 11 91234-5678",
        "é1234567é", "ação5511987654321", "5511987654321ção", "😀5511987654321😀", "1234567\u{301}", "número: +55(11)987654321.",
        "joão@exemplo.com", "ana@exemplo.com.br.", "Ünal@example.com", "a@exämple.com", "tel:+5511987654321;ext=12",
        "1733340000", "17333 40000", "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjk4QTAyQzE1RkM2OTIxRDM0AA==",
    ]

    @Test func freeTextIsMaskedAsBefore() {
        var random = SplitMix(seed: 17)
        let pieces = ["0", "1", "5", "9", "12", "a", "Z", "x", "@", ".", "-", "+", " ", "(", ")", "_", "%", "é", "\u{301}",
                      "😀", "ç", "example.com", "@b.io", "\n", "\""]
        let randomTexts = (0..<3000).map { _ in (0..<Int.random(in: 0...30, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined() }
        for text in Self.texts + randomTexts {
            #expect(masker.maskText(text) == legacy.maskText(text), "\(text.debugDescription)")
            #expect(TextMasking.maskWhole(text) == LegacyTextMasking.maskWhole(text), "\(text.debugDescription)")
        }
    }

    @Test func headersAreMaskedAsBefore() {
        let lists: [WebhookHeaders] = [
            WebhookHeaders([(name: "Accept", value: "a"), (name: "accept", value: "b"), (name: "ACCEPT", value: "c"),
                            (name: "X-Reply-To", value: "ana@example.com"), (name: "x-reply-to", value: "+55 11 98765-4321"),
                            (name: "Authorization", value: "Bearer x"), (name: "authorization", value: "Basic y")]),
            WebhookHeaders([(name: "Zeta", value: "1"), (name: "alpha", value: "2"), (name: "Beta", value: "3"),
                            (name: "X-Hub-Signature-256", value: "sha256=abc"), (name: "Content-Type", value: "application/json")]),
            WebhookHeaders([(name: "X-Ünicode", value: "é 5511987654321"), (name: "x-ünicode", value: "2"), (name: "", value: "")]),
            WebhookHeaders([(name: String, value: String)]()),
        ]
        for headers in lists {
            #expect(masker.maskedHeadersJSON(headers) == legacy.maskedHeadersJSON(headers))
            #expect(masker.mask(headers).map { "\($0.name)=\($0.value)" } == legacy.mask(headers).map { "\($0.name)=\($0.value)" })
        }
    }

    /// A JSON tree of provider-like keys (sensitive ones included) and texts with numbers and addresses.
    static func randomValue(depth: Int, key: String?, using random: inout SplitMix) -> JSONValue {
        let roll = Int.random(in: 0..<(depth >= 4 ? 6 : 9), using: &random)
        switch roll {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .number([0, 42, 1_234_567, 5_511_987_654_321, -98_765_432_101, 1.5, 1e21, 0.000_123][Int.random(in: 0..<8, using: &random)])
        case 3: return .string(String(Int.random(in: 0...99_999_999_999, using: &random)))
        case 4, 5: return .string(texts.randomElement(using: &random)!)
        case 6: return .array((0..<Int.random(in: 0...3, using: &random)).map { _ in randomValue(depth: depth + 1, key: key, using: &random) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...5, using: &random) {
                let name = keys.randomElement(using: &random)!
                members[name] = randomValue(depth: depth + 1, key: name, using: &random)
            }
            return .object(members)
        }
    }
}
