import Foundation
import RenumSandbox

/// Signatures computed outside Renum's code: by the `openssl` command, so a bug shared by our
/// verifier and our crypto wrapper cannot make a test pass.
enum Signing {
    /// Hex HMAC-SHA256 of `message` under `key`, by `openssl dgst`.
    static func hmacHex(key: [UInt8], message: [UInt8]) throws -> String {
        let hexKey = key.map { String(format: "%02x", $0) }.joined()
        let output = try run(["dgst", "-sha256", "-mac", "HMAC", "-macopt", "hexkey:\(hexKey)", "-r"], input: message)
        return String(output.prefix(64))
    }

    /// `sha256=<hex>`: WhatsApp's `X-Hub-Signature-256`.
    static func whatsapp(secret: String, body: [UInt8]) throws -> String {
        "sha256=" + (try hmacHex(key: Array(secret.utf8), message: body))
    }

    /// `v1,<base64>`: one Standard Webhooks signature under the `whsec_` secret.
    static func standard(secret: String, id: String, timestamp: Int, body: [UInt8]) throws -> String {
        let key = Array(Data(base64Encoded: String(secret.dropFirst("whsec_".count)))!)
        let hex = try hmacHex(key: key, message: Array("\(id).\(timestamp).".utf8) + body)
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return "v1," + Data(bytes).base64EncodedString()
    }

    private static func run(_ arguments: [String], input: [UInt8]) throws -> String {
        try ChildProcess.run("/usr/bin/openssl", arguments, input: input).stdout
    }
}

/// Real payload shapes (PROTOCOLS.md: WhatsApp Cloud API and Telegram Bot API).
enum Payloads {
    static func whatsappText(wamid: String = "wamid.\(UUID().uuidString)", phone: String = "5511987654321",
                             text: String = "Oi! Meu e-mail é joana.silva@example.com e o fone +55 11 98765-4321") -> [UInt8] {
        Array("""
        {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages",\
        "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},\
        "contacts":[{"profile":{"name":"Joana Silva"},"wa_id":"\(phone)"}],\
        "messages":[{"from":"\(phone)","id":"\(wamid)","timestamp":"1733340000",\
        "type":"text","text":{"body":"\(text)"}}]}}]}]}
        """.utf8)
    }

    static func whatsappStatus(wamid: String = "wamid.\(UUID().uuidString)") -> [UInt8] {
        Array("""
        {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages",\
        "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},\
        "statuses":[{"id":"\(wamid)","status":"delivered","timestamp":"1733340100",\
        "recipient_id":"5511987654321","conversation":{"id":"c1","origin":{"type":"service"}},\
        "pricing":{"billable":true,"pricing_model":"CBP","category":"service"}}]}}]}]}
        """.utf8)
    }

    static func telegram(updateID: Int) -> [UInt8] {
        Array("""
        {"update_id":\(updateID),"message":{"message_id":4711,"from":{"id":123456789,"is_bot":false,"first_name":"Ivan",\
        "username":"ivan_p"},"chat":{"id":123456789,"type":"private","first_name":"Ivan"},"date":1733340200,\
        "text":"hello, write to ivan@mail.example.org or call +7 912 345-67-89"}}
        """.utf8)
    }

    static var whatsappConfig: [String: Any] { [
        "business_phone_number": "+15550783881", "access_token": "EAAG-access-token-secret",
        "webhook_verify_token": "verify-me-123", "app_secret": "app-secret-abc",
    ] }
}
