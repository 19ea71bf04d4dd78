import RenumCore
import RenumWebhooks

/// The deduplication keys of a delivery, read from the body parsed once on the hot path.
///
/// Mirrors `WebhookNormalizer.providerIDs` (a test holds the two to the same answers) so the
/// ingest path parses the body once for both masking and keys; the normalizer itself runs in
/// the workers, off the request path.
enum DeliveryKeys {
    /// The provider ids, or a reason (safe to return) when the body lacks what the platform always sends.
    static func providerIDs(platform: WebhookPlatform, payload: JSONValue,
                            headers: WebhookHeaders) -> Result<[String], NormalizationError> {
        var ids: [String] = []
        switch platform {
        case .whatsapp:
            for entry in payload["entry"]?.arrayValue ?? [] {
                for change in entry["changes"]?.arrayValue ?? [] {
                    guard let value = change["value"] else { continue }
                    for item in (value["messages"]?.arrayValue ?? []) + (value["statuses"]?.arrayValue ?? []) {
                        if let id = idText(item["id"]) { ids.append(id) }
                    }
                }
            }
        case .telegram:
            guard let id = idText(payload["update_id"]) else {
                return .failure(.unexpectedShape("a Telegram update must carry update_id"))
            }
            ids = [id]
        case .zapier, .n8n, .make, .generic:
            if let id = headers["webhook-id"] { ids = [id] }
        }
        var seen = Set<String>()
        return .success(ids.filter { seen.insert($0).inserted })
    }

    /// Strings as they are; whole numbers without a fraction (Telegram ids are JSON numbers).
    static func idText(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: return text
        case .number(let number)? where number.rounded() == number && abs(number) < 9.007_199_254_740_992e15:
            return String(Int64(number))
        default: return nil
        }
    }
}
