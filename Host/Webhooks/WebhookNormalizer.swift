import Foundation
import RenumCore

/// Turns a verified body into message envelopes and finds its deduplication keys.
///
/// Call only after `WebhookVerifier` accepted the request: this parses the body.
public struct WebhookNormalizer: Sendable {
    /// A normalizer; it holds no state.
    public init() {}

    /// The provider's ids to deduplicate on: WhatsApp message and status ids, Telegram's
    /// `update_id`, else a Standard Webhooks `webhook-id` header. Nil when there are none
    /// (the caller may fall back to an `Idempotency-Key` header).
    public func providerIDs(platform: WebhookPlatform, rawBody: [UInt8],
                            headers: WebhookHeaders) throws(NormalizationError) -> [String]? {
        let envelopes = try normalize(platform: platform, rawBody: rawBody, headers: headers, receivedAt: Date())
        var seen = Set<String>()
        let ids = envelopes.flatMap(\.providerIDs).filter { seen.insert($0).inserted }
        return ids.isEmpty ? nil : ids
    }

    /// The envelopes of one delivery: one per WhatsApp message or status, one per
    /// Telegram update, one for any other platform. `receivedAt` is used when the
    /// payload carries no time of its own.
    public func normalize(platform: WebhookPlatform, rawBody: [UInt8], headers: WebhookHeaders,
                          receivedAt: Date) throws(NormalizationError) -> [MessageEnvelope] {
        let payload = try JSONValue.parse(rawBody)
        let arrival = Timestamp.format(receivedAt)
        switch platform {
        case .whatsapp:
            return WhatsAppPayload.envelopes(payload, arrival: arrival)
        case .telegram:
            return [try TelegramPayload.envelope(payload, arrival: arrival)]
        case .zapier, .n8n, .make, .generic:
            return [Self.genericEnvelope(platform: platform, payload: payload, headers: headers, arrival: arrival)]
        }
    }

    /// Automation platforms send whatever the user mapped: take a top-level `text` or
    /// `message` string when there is one, and the Standard Webhooks id when signed so.
    static func genericEnvelope(platform: WebhookPlatform, payload: JSONValue, headers: WebhookHeaders,
                                arrival: String) -> MessageEnvelope {
        let text = payload["text"]?.stringValue ?? payload["message"]?.stringValue
        let ids = headers["webhook-id"].map { [$0] } ?? []
        // Standard Webhooks payloads carry the event time as an ISO-8601 `timestamp`.
        let eventTime = payload["timestamp"]?.stringValue.flatMap(Timestamp.parse).map(Timestamp.format)
        let keys = payload.objectValue.map { "object with \($0.count) keys" } ?? payload.typeName
        return MessageEnvelope(platform: platform, sender: nil, chat: nil, text: text, providerIDs: ids,
                               receivedAt: eventTime ?? arrival, kind: text == nil ? .other : .message,
                               summary: "\(platform.rawValue) payload (\(keys))")
    }
}
