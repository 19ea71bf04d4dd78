import Foundation
import RenumCore

/// Masks personal data and secrets before a webhook is written to the log.
///
/// The log is for people debugging deliveries: they need the shape of a payload and
/// enough of a number or address to recognise it, never the thing itself. Secrets are
/// replaced whole; phone numbers and e-mail addresses keep a hint (`+55*******4321`,
/// `j***@example.com`). The raw body, when kept for replay, is stored encrypted elsewhere.
public struct PIIMasker: Sendable {
    /// What replaces a secret.
    public static let redacted = "[REDACTED]"

    /// A masker with the built-in key and header lists.
    public init() {}

    /// The body as masked JSON text. A body that is not JSON is logged as one JSON
    /// string, masked as free text, so the log column always holds valid JSON.
    public func maskedPayloadJSON(_ rawBody: [UInt8]) -> String {
        var writer = JSONWriter(capacity: rawBody.count + 16)
        if let value = try? JSONDecoder().decode(JSONValue.self, from: Data(rawBody)) {
            writer.value(mask(value))
        } else {
            writer.string(maskText(String(decoding: rawBody, as: UTF8.self)))
        }
        return writer.text
    }

    /// `value` with secrets redacted and personal data masked, at any depth.
    public func mask(_ value: JSONValue) -> JSONValue {
        mask(value, key: nil, underPersonalKey: false)
    }

    private func mask(_ value: JSONValue, key: String?, underPersonalKey: Bool) -> JSONValue {
        let category = key.map(SensitiveKeys.category) ?? .ordinary
        switch category {
        case .secret:
            return value == .null ? .null : .string(Self.redacted)
        case .keepDigits:
            // Unix times are digit runs too; they are not personal and the log needs them.
            if let text = value.stringValue, text.allSatisfy(\.isASCIIDigitCharacter) { return value }
        case .personal, .ordinary:
            break
        }
        let personal = underPersonalKey || category == .personal
        switch value {
        case .object(let members):
            var masked: [String: JSONValue] = [:]
            for (name, member) in members {
                masked[name] = mask(member, key: name, underPersonalKey: personal)
            }
            return .object(masked)
        case .array(let items):
            return .array(items.map { mask($0, key: key, underPersonalKey: personal) })
        case .string(let text):
            return .string(personal ? TextMasking.maskWhole(text) : maskText(text))
        case .number(let number):
            guard personal else { return value }
            let digits = number.rounded() == number && abs(number) < 1e18 ? String(Int64(number)) : String(number)
            return .string(TextMasking.maskWhole(digits))
        case .null, .bool:
            return value
        }
    }

    /// `text` with every e-mail address and phone-number-like digit run (seven or more
    /// digits, optionally with `+`, spaces, dashes or parentheses) masked; `text` itself
    /// when there is none.
    public func maskText(_ text: String) -> String {
        TextMasking.maskText(text)
    }
}

extension Character {
    fileprivate var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
