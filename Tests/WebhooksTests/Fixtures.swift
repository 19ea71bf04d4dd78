import Foundation
import RenumSecurity
@testable import RenumWebhooks

/// Real payload shapes (PROTOCOLS.md) and signatures computed independently of the verifier.
enum Fixtures {
    static let whatsappText = """
    {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages",\
    "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},\
    "contacts":[{"profile":{"name":"Joana Silva"},"wa_id":"5511987654321"}],\
    "messages":[{"from":"5511987654321","id":"wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFjNFQjBDMEQ5","timestamp":"1733340000",\
    "type":"text","text":{"body":"Oi! Meu e-mail é joana.silva@example.com e o fone +55 11 98765-4321"}}]}}]}]}
    """

    static let whatsappStatus = """
    {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages",\
    "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},\
    "statuses":[{"id":"wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjQ4","status":"delivered","timestamp":"1733340100",\
    "recipient_id":"5511987654321","conversation":{"id":"c1","origin":{"type":"service"}},\
    "pricing":{"billable":true,"pricing_model":"CBP","category":"service"}}]}}]}]}
    """

    static let whatsappTwoMessages = """
    {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages",\
    "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},\
    "contacts":[{"profile":{"name":"Ana"},"wa_id":"5521912345678"}],\
    "messages":[{"from":"5521912345678","id":"wamid.AAA1","timestamp":"1733340001","type":"text","text":{"body":"first"}},\
    {"from":"5521912345678","id":"wamid.AAA2","timestamp":"1733340002","type":"text","text":{"body":"second"}}]}}]}]}
    """

    static let telegramMessage = """
    {"update_id":902345678,"message":{"message_id":4711,"from":{"id":123456789,"is_bot":false,"first_name":"Ivan",\
    "username":"ivan_p"},"chat":{"id":123456789,"type":"private","first_name":"Ivan"},"date":1733340200,\
    "text":"hello, write to ivan@mail.example.org or call +7 912 345-67-89"}}
    """

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// `sha256=<hex>` of the body under the app secret.
    static func whatsappSignature(secret: String, body: [UInt8]) -> String {
        "sha256=" + Hex.encode(Crypto.hmacSHA256(key: Array(secret.utf8), message: body))
    }

    /// A `v1,<base64>` Standard Webhooks signature with the raw key bytes.
    static func standardSignature(key: [UInt8], id: String, timestamp: Int, body: [UInt8]) -> String {
        let content = Array("\(id).\(timestamp).".utf8) + body
        return "v1," + Data(Crypto.hmacSHA256(key: key, message: content)).base64EncodedString()
    }

    static func request(_ headers: [(String, String)], body: [UInt8]) -> InboundWebhook {
        InboundWebhook(method: "POST", headers: WebhookHeaders(headers.map { (name: $0.0, value: $0.1) }), rawBody: body)
    }
}
