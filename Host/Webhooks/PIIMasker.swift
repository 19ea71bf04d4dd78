import RenumCore

/// Masks personal data and secrets before a webhook is written to the log.
///
/// The log is for people debugging deliveries: they need the shape of a payload and
/// enough of a number or address to recognise it, never the thing itself. Secrets are
/// replaced whole; phone numbers and e-mail addresses keep a hint (`+55*******4321`,
/// `j***@example.com`). The raw body, when kept for replay, is stored encrypted elsewhere.
///
/// This runs for every delivery, so the hot path (`writeMasked`) writes JSON straight
/// into a `JSONWriter` instead of building a masked copy of the payload first.
public struct PIIMasker: Sendable {
    /// What replaces a secret.
    public static let redacted = "[REDACTED]"

    /// A masker with the built-in key and header lists.
    public init() {}

    /// The body as masked JSON text. A body that is not JSON, or that `JSONParser` refuses
    /// (duplicate keys, say), is logged as one JSON string masked as free text, so the log
    /// column always holds valid JSON.
    public func maskedPayloadJSON(_ rawBody: [UInt8]) -> String {
        var writer = JSONWriter(capacity: rawBody.count + 16)
        if let value = try? JSONParser.parse(rawBody) {
            writeMasked(value, to: &writer)
        } else {
            writer.string(maskText(String(decoding: rawBody, as: UTF8.self)))
        }
        return writer.text
    }

    /// `value` with secrets redacted and personal data masked, at any depth. Writing it
    /// with `JSONWriter.value` gives the same text as `writeMasked`, which is cheaper
    /// when the text is all that is needed.
    public func mask(_ value: JSONValue) -> JSONValue {
        mask(value, category: .ordinary, underPersonalKey: false)
    }

    private func mask(_ value: JSONValue, category: SensitiveKeys.Category, underPersonalKey: Bool) -> JSONValue {
        switch step(value, category: category, underPersonalKey: underPersonalKey) {
        case .leaf(let masked):
            return masked
        case .object(var members, let personal):
            // Values are replaced in place: the copy keeps the hash table, nothing is re-hashed.
            var index = members.startIndex
            while index != members.endIndex {
                let (name, member) = members[index]
                members.values[index] = mask(member, category: SensitiveKeys.category(name), underPersonalKey: personal)
                members.formIndex(after: &index)
            }
            return .object(members)
        case .array(var items, let personal):
            for index in items.indices {
                items[index] = mask(items[index], category: category, underPersonalKey: personal)
            }
            return .array(items)
        }
    }

    /// `text` with every e-mail address and phone-number-like digit run (seven or more
    /// digits, optionally with `+`, spaces, dashes or parentheses) masked; `text` itself
    /// when there is none.
    public func maskText(_ text: String) -> String {
        TextMasking.maskText(text)
    }
}
