import Foundation
import Testing
@testable import RenumWebhooks

@Suite struct NormalizerTests {
    let normalizer = WebhookNormalizer()
    let arrival = Date(timeIntervalSince1970: 1_800_000_000)

    private func envelopes(_ platform: WebhookPlatform, _ body: String, headers: WebhookHeaders = [:]) throws -> [MessageEnvelope] {
        try normalizer.normalize(platform: platform, rawBody: Fixtures.bytes(body), headers: headers, receivedAt: arrival)
    }

    @Test func whatsappTextMessage() throws {
        let result = try envelopes(.whatsapp, Fixtures.whatsappText)
        #expect(result == [MessageEnvelope(
            platform: .whatsapp, sender: "5511987654321", chat: "5511987654321",
            text: "Oi! Meu e-mail é joana.silva@example.com e o fone +55 11 98765-4321",
            providerIDs: ["wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFjNFQjBDMEQ5"],
            receivedAt: "2024-12-04T19:20:00.000Z", kind: .message, summary: "whatsapp text message")])
    }

    @Test func whatsappStatusUpdate() throws {
        let result = try envelopes(.whatsapp, Fixtures.whatsappStatus)
        #expect(result.count == 1)
        #expect(result[0].kind == .status)
        #expect(result[0].providerIDs == ["wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjQ4"])
        #expect(result[0].chat == "5511987654321")
        #expect(result[0].text == nil)
        #expect(result[0].receivedAt == "2024-12-04T19:21:40.000Z")
        #expect(result[0].summary == "whatsapp status delivered")
    }

    @Test func whatsappPayloadWithTwoMessages() throws {
        let result = try envelopes(.whatsapp, Fixtures.whatsappTwoMessages)
        #expect(result.map(\.text) == ["first", "second"])
        #expect(result.map(\.providerIDs) == [["wamid.AAA1"], ["wamid.AAA2"]])
        let ids = try normalizer.providerIDs(platform: .whatsapp, rawBody: Fixtures.bytes(Fixtures.whatsappTwoMessages), headers: [:])
        #expect(ids == ["wamid.AAA1", "wamid.AAA2"])
    }

    @Test func whatsappWithoutMessagesGivesOneOtherEnvelope() throws {
        let result = try envelopes(.whatsapp, #"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"account_update","value":{}}]}]}"#)
        #expect(result.map(\.kind) == [.other])
        #expect(result[0].receivedAt == "2027-01-15T08:00:00.000Z")
        #expect(try normalizer.providerIDs(platform: .whatsapp, rawBody: Fixtures.bytes("{}"), headers: [:]) == nil)
    }

    @Test func telegramUpdate() throws {
        let result = try envelopes(.telegram, Fixtures.telegramMessage)
        #expect(result == [MessageEnvelope(
            platform: .telegram, sender: "123456789", chat: "123456789",
            text: "hello, write to ivan@mail.example.org or call +7 912 345-67-89", providerIDs: ["902345678"],
            receivedAt: "2024-12-04T19:23:20.000Z", kind: .message, summary: "telegram message")])
        #expect(try normalizer.providerIDs(platform: .telegram, rawBody: Fixtures.bytes(Fixtures.telegramMessage), headers: [:]) == ["902345678"])
    }

    @Test func telegramOtherUpdateKinds() throws {
        let edited = try envelopes(.telegram, #"{"update_id":5,"edited_message":{"message_id":1,"from":{"id":7},"chat":{"id":-100123},"date":1733340200,"text":"fixed"}}"#)
        #expect(edited.first?.text == "fixed")
        #expect(edited.first?.chat == "-100123")
        #expect(edited.first?.summary == "telegram edited_message")
        let channel = try envelopes(.telegram, #"{"update_id":6,"channel_post":{"message_id":2,"sender_chat":{"id":-100999},"chat":{"id":-100999},"date":1733340200,"text":"news"}}"#)
        #expect(channel.first?.sender == "-100999")
        let callback = try envelopes(.telegram, #"{"update_id":7,"callback_query":{"id":"cb1","from":{"id":8},"message":{"message_id":3,"chat":{"id":9},"date":1},"data":"yes"}}"#)
        #expect(callback.first?.text == "yes")
        #expect(callback.first?.chat == "9")
        #expect(callback.first?.receivedAt == "2027-01-15T08:00:00.000Z")
        let poll = try envelopes(.telegram, #"{"update_id":8,"poll":{"id":"p"}}"#)
        #expect(poll.first?.kind == .other)
        #expect(poll.first?.providerIDs == ["8"])
        #expect(throws: NormalizationError.unexpectedShape("a Telegram update must carry update_id")) {
            try envelopes(.telegram, #"{"message":{}}"#)
        }
    }

    @Test func genericPlatforms() throws {
        let zap = try envelopes(.zapier, #"{"text":"from zapier","extra":1}"#)
        #expect(zap == [MessageEnvelope(platform: .zapier, sender: nil, chat: nil, text: "from zapier", providerIDs: [],
                                        receivedAt: "2027-01-15T08:00:00.000Z", kind: .message, summary: "zapier payload (object with 2 keys)")])
        let make = try envelopes(.make, #"{"message":"from make"}"#, headers: ["webhook-id": "msg_1"])
        #expect(make.first?.text == "from make")
        #expect(make.first?.providerIDs == ["msg_1"])
        let standard = try envelopes(.generic, #"{"type":"contact.created","timestamp":"2022-11-03T20:26:10.344522Z","data":{}}"#,
                                     headers: ["Webhook-Id": "msg_2"])
        #expect(standard.first?.receivedAt == "2022-11-03T20:26:10.344Z")
        #expect(standard.first?.kind == .other)
        #expect(try normalizer.providerIDs(platform: .generic, rawBody: Fixtures.bytes("[1,2]"), headers: [:]) == nil)
        #expect(try normalizer.providerIDs(platform: .n8n, rawBody: Fixtures.bytes("{}"), headers: ["webhook-id": "msg_3"]) == ["msg_3"])
    }

    @Test func malformedJSONIsATypedError() {
        for body in ["", "{", "{\"a\":}", "not json"] {
            #expect(throws: NormalizationError.malformedJSON) { try envelopes(.generic, body) }
            #expect(throws: NormalizationError.malformedJSON) { try envelopes(.whatsapp, body) }
        }
    }
}
