import Foundation
import RenumCore
@testable import RenumIntegrations
import RenumWebhooks
import Testing

/// The ingest path parses bodies with `JSONParser` and reads the keys itself; these hold both
/// to what Foundation's decoder and `WebhookNormalizer` say of the same bytes.
@Suite("Hot-path parsing agrees with the normalizer")
struct HotPathParsingTests {
    static let bodies: [[UInt8]] = [
        Payloads.whatsappText(wamid: "wamid.A"), Payloads.whatsappStatus(wamid: "wamid.S"), Payloads.telegram(updateID: 902345678),
        Array(#"{"text":"h\u00e9llo \ud83d\ude00 \"q\" \\ \/","n":-1.5e3,"z":0,"a":[true,false,null,{}],"e":[]}"#.utf8),
        Array(#"{"object":"whatsapp_business_account","entry":[]}"#.utf8),
    ]

    @Test(arguments: bodies)
    func parsesLikeFoundation(_ body: [UInt8]) throws {
        let foundation = try JSONDecoder().decode(JSONValue.self, from: Data(body))
        #expect((try? JSONParser.parse(body)) == foundation)
    }

    @Test func refusesWhatIsNotOneJSONValue() {
        for text in ["", "{", #"{"a":1,}"#, "[1 2]", "01", "1.", "\"\\x\"", "{} {}", #"{"a":"\u{01}"}"#, "nul"] {
            #expect((try? JSONParser.parse(Array(text.utf8))) == nil, "\(text)")
        }
        let deep = Array(String(repeating: "[", count: 500).utf8) + Array(String(repeating: "]", count: 500).utf8)
        #expect((try? JSONParser.parse(deep)) == nil)
        // A repeated key is ambiguous (which one would an agent see?): refused, here and by the normalizer.
        let repeated = Array(#"{"object":"whatsapp_business_account","object":"x"}"#.utf8)
        #expect((try? JSONParser.parse(repeated)) == nil)
        #expect((try? WebhookNormalizer().providerIDs(platform: .whatsapp, rawBody: repeated, headers: WebhookHeaders([:]))) == nil)
    }

    @Test(arguments: [WebhookPlatform.whatsapp, .telegram, .generic])
    func keysMatchTheNormalizer(_ platform: WebhookPlatform) throws {
        let headers = WebhookHeaders(["webhook-id": "msg_1"])
        for body in Self.bodies {
            let expected = try? WebhookNormalizer().providerIDs(platform: platform, rawBody: body, headers: headers)
            let payload = try JSONParser.parse(body)
            let ours = try? DeliveryKeys.providerIDs(platform: platform, payload: payload, headers: headers).get()
            #expect((ours.map { $0.isEmpty ? nil : $0 } ?? nil) == (expected ?? nil), "\(platform) \(String(decoding: body, as: UTF8.self).prefix(40))")
        }
    }
}
