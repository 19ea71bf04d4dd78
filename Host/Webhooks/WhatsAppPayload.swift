import RenumCore

/// WhatsApp Cloud API notifications: `entry[].changes[].value` holding `messages[]` and `statuses[]`.
enum WhatsAppPayload {
    static func envelopes(_ payload: JSONValue, arrival: String) -> [MessageEnvelope] {
        var result: [MessageEnvelope] = []
        for entry in payload["entry"]?.elements ?? [] {
            for change in entry["changes"]?.elements ?? [] {
                guard let value = change["value"] else { continue }
                result += (value["messages"]?.elements ?? []).map { message(from: $0, arrival: arrival) }
                result += (value["statuses"]?.elements ?? []).map { status(from: $0, arrival: arrival) }
            }
        }
        if result.isEmpty {
            // Account updates and other fields carry no message; one envelope still records the delivery.
            result.append(MessageEnvelope(platform: .whatsapp, sender: nil, chat: nil, text: nil, providerIDs: [],
                                          receivedAt: arrival, kind: .other, summary: "whatsapp notification without messages"))
        }
        return result
    }

    private static func message(from message: JSONValue, arrival: String) -> MessageEnvelope {
        let type = message["type"]?.stringValue ?? "unknown"
        let sender = message["from"]?.idText
        return MessageEnvelope(
            platform: .whatsapp, sender: sender, chat: sender, text: text(of: message, type: type),
            providerIDs: message["id"]?.idText.map { [$0] } ?? [],
            receivedAt: message["timestamp"]?.unixTimestamp ?? arrival, kind: .message,
            summary: "whatsapp \(type) message")
    }

    private static func status(from status: JSONValue, arrival: String) -> MessageEnvelope {
        let state = status["status"]?.stringValue ?? "unknown"
        return MessageEnvelope(
            platform: .whatsapp, sender: nil, chat: status["recipient_id"]?.idText, text: nil,
            providerIDs: status["id"]?.idText.map { [$0] } ?? [],
            receivedAt: status["timestamp"]?.unixTimestamp ?? arrival, kind: .status,
            summary: "whatsapp status \(state)")
    }

    /// The human text of a message of `type`: body, button label, reply title or caption.
    private static func text(of message: JSONValue, type: String) -> String? {
        switch type {
        case "text": return message["text"]?["body"]?.stringValue
        case "button": return message["button"]?["text"]?.stringValue
        case "interactive":
            let interactive = message["interactive"]
            return interactive?["button_reply"]?["title"]?.stringValue ?? interactive?["list_reply"]?["title"]?.stringValue
        case "reaction": return message["reaction"]?["emoji"]?.stringValue
        default: return message[type]?["caption"]?.stringValue
        }
    }
}
