import RenumCore

/// Telegram Bot API updates: `update_id` plus one of the message-bearing fields.
enum TelegramPayload {
    private static let messageFields = ["message", "edited_message", "channel_post", "edited_channel_post"]

    static func envelope(_ update: JSONValue, arrival: String) throws(NormalizationError) -> MessageEnvelope {
        guard let updateID = update["update_id"]?.idText else {
            throw .unexpectedShape("a Telegram update must carry update_id")
        }
        let ids = [updateID]
        for field in messageFields {
            guard let message = update[field] else { continue }
            // Channel posts may have no `from`; the channel itself (sender_chat) sent them.
            let sender = message["from"]?["id"]?.idText ?? message["sender_chat"]?["id"]?.idText
            return MessageEnvelope(
                platform: .telegram, sender: sender, chat: message["chat"]?["id"]?.idText,
                text: message["text"]?.stringValue ?? message["caption"]?.stringValue, providerIDs: ids,
                receivedAt: message["date"]?.unixTimestamp ?? arrival, kind: .message,
                summary: "telegram \(field)")
        }
        if let callback = update["callback_query"] {
            return MessageEnvelope(
                platform: .telegram, sender: callback["from"]?["id"]?.idText,
                chat: callback["message"]?["chat"]?["id"]?.idText, text: callback["data"]?.stringValue,
                providerIDs: ids, receivedAt: arrival, kind: .message, summary: "telegram callback_query")
        }
        let field = update.objectValue?.keys.filter { $0 != "update_id" }.sorted().first ?? "empty"
        return MessageEnvelope(platform: .telegram, sender: nil, chat: nil, text: nil, providerIDs: ids,
                               receivedAt: arrival, kind: .other, summary: "telegram \(field)")
    }
}
