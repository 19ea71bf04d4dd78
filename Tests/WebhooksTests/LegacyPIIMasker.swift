// The masker as it was before the byte-level rewrite (commit c5921a0), kept verbatim
// apart from names as a test oracle: the new code must give the same output for
// every input these tests throw at both. Slow (Foundation, scalar arrays) and never
// used outside tests.
import Foundation
import RenumCore
@testable import RenumWebhooks

/// Masks personal data and secrets before a webhook is written to the log.
///
/// The log is for people debugging deliveries: they need the shape of a payload and
/// enough of a number or address to recognise it, never the thing itself. Secrets are
/// replaced whole; phone numbers and e-mail addresses keep a hint (`+55*******4321`,
/// `j***@example.com`). The raw body, when kept for replay, is stored encrypted elsewhere.
struct LegacyPIIMasker: Sendable {
    /// What replaces a secret.
    static let redacted = "[REDACTED]"

    /// A masker with the built-in key and header lists.
    init() {}

    /// The body as masked JSON text. A body that is not JSON is logged as one JSON
    /// string, masked as free text, so the log column always holds valid JSON.
    func maskedPayloadJSON(_ rawBody: [UInt8]) -> String {
        var writer = JSONWriter(capacity: rawBody.count + 16)
        if let value = try? JSONDecoder().decode(JSONValue.self, from: Data(rawBody)) {
            writer.value(mask(value))
        } else {
            writer.string(maskText(String(decoding: rawBody, as: UTF8.self)))
        }
        return writer.text
    }

    /// `value` with secrets redacted and personal data masked, at any depth.
    func mask(_ value: JSONValue) -> JSONValue {
        mask(value, key: nil, underPersonalKey: false)
    }

    private func mask(_ value: JSONValue, key: String?, underPersonalKey: Bool) -> JSONValue {
        let category = key.map(LegacySensitiveKeys.category) ?? .ordinary
        switch category {
        case .secret:
            return value == .null ? .null : .string(Self.redacted)
        case .keepDigits:
            // Unix times are digit runs too; they are not personal and the log needs them.
            if let text = value.stringValue, text.allSatisfy(\.legacyIsASCIIDigitCharacter) { return value }
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
            return .string(personal ? LegacyTextMasking.maskWhole(text) : maskText(text))
        case .number(let number):
            guard personal else { return value }
            let digits = number.rounded() == number && abs(number) < 1e18 ? String(Int64(number)) : String(number)
            return .string(LegacyTextMasking.maskWhole(digits))
        case .null, .bool:
            return value
        }
    }

    /// `text` with every e-mail address and phone-number-like digit run (seven or more
    /// digits, optionally with `+`, spaces, dashes or parentheses) masked.
    func maskText(_ text: String) -> String {
        LegacyTextMasking.maskPhones(in: LegacyTextMasking.maskEmails(in: text))
    }
}

extension Character {
    fileprivate var legacyIsASCIIDigitCharacter: Bool { isASCII && isNumber }
}

extension LegacyPIIMasker {
    /// Headers with credentials and signatures redacted and other values masked as free text.
    func mask(_ headers: WebhookHeaders) -> [(name: String, value: String)] {
        headers.fields.map { field in
            (name: field.name,
             value: LegacySensitiveKeys.isSecretHeader(field.name) ? Self.redacted : maskText(field.value))
        }
    }

    /// Masked headers as a JSON object keyed by lowercased name; repeated headers are
    /// joined with `, ` as HTTP allows.
    func maskedHeadersJSON(_ headers: WebhookHeaders) -> String {
        var merged: [String: String] = [:]
        for field in mask(headers) {
            let name = field.name.lowercased()
            merged[name] = merged[name].map { "\($0), \(field.value)" } ?? field.value
        }
        var writer = JSONWriter()
        writer.object { object in
            for name in merged.keys.sorted() {
                object.field(name, merged[name]!)
            }
        }
        return writer.text
    }
}
/// Finds and masks e-mail addresses and phone numbers inside free text, without regexes
/// (Foundation's are slow and this runs on every logged payload).
enum LegacyTextMasking {
    /// A value known to be personal (under a key like `wa_id`): an address keeps its
    /// first letter and domain, a number its prefix and last four digits, anything else goes.
    static func maskWhole(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        if let at = scalars.firstIndex(of: "@"), at > 0 {
            return emailMask(local: scalars[..<at], domain: scalars[(at + 1)...])
        }
        let digitCount = scalars.filter(isDigit).count
        if digitCount >= 7 { return phoneMask(scalars[...]) }
        return LegacyPIIMasker.redacted
    }

    /// `text` with e-mail addresses replaced by `j***@example.com`.
    static func maskEmails(in text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        guard scalars.contains("@") else { return text }
        var out = String.UnicodeScalarView()
        var emitted = 0
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "@" else { index += 1; continue }
            var start = index
            while start > emitted, isLocalPart(scalars[start - 1]) { start -= 1 }
            var end = index + 1
            while end < scalars.count, isDomainPart(scalars[end]) { end += 1 }
            // A sentence ending right after the address leaves a trailing dot that is not part of it.
            while end > index + 1, scalars[end - 1] == "." || scalars[end - 1] == "-" { end -= 1 }
            let domain = scalars[(index + 1)..<end]
            guard start < index, isDomain(domain) else { index += 1; continue }
            out.append(contentsOf: scalars[emitted..<start])
            out.append(contentsOf: emailMask(local: scalars[start..<index], domain: domain).unicodeScalars)
            emitted = end
            index = end
        }
        out.append(contentsOf: scalars[emitted...])
        return String(out)
    }

    /// `text` with runs of seven or more digits (with optional `+`, spaces, dashes and
    /// parentheses between them) replaced by `+55*******4321`. Digits glued to letters
    /// (ids like `wamid.HBgM…`) or to a decimal point are not phone numbers and stay.
    static func maskPhones(in text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var emitted = 0
        var index = 0
        while index < scalars.count {
            let startsRun = isDigit(scalars[index])
                || (scalars[index] == "+" && index + 1 < scalars.count && isDigit(scalars[index + 1]))
            guard startsRun, index == 0 || isBoundary(scalars[index - 1]) else { index += 1; continue }
            var end = index + 1
            var digits = isDigit(scalars[index]) ? 1 : 0
            var cursor = end
            while cursor < scalars.count {
                if isDigit(scalars[cursor]) {
                    digits += 1
                    cursor += 1
                    end = cursor
                } else if isSeparator(scalars[cursor]) {
                    cursor += 1
                } else {
                    break
                }
            }
            let followedByDecimal = end + 1 < scalars.count && scalars[end] == "." && isDigit(scalars[end + 1])
            let endsAtBoundary = end == scalars.count || (isBoundary(scalars[end]) && !followedByDecimal)
            if digits >= 7 && endsAtBoundary {
                out.append(contentsOf: scalars[emitted..<index])
                out.append(contentsOf: phoneMask(scalars[index..<end]).unicodeScalars)
                emitted = end
            }
            // Skip the whole run either way: its tail must not be taken for a new number.
            index = end
        }
        out.append(contentsOf: scalars[emitted...])
        return String(out)
    }

    /// `+` if present, the first two digits, stars, the last four digits.
    static func phoneMask(_ run: ArraySlice<Unicode.Scalar>) -> String {
        let digits = run.filter(isDigit)
        let plus = run.first == "+" ? "+" : ""
        guard digits.count >= 7 else { return LegacyPIIMasker.redacted }
        let head = String(String.UnicodeScalarView(digits.prefix(2)))
        let tail = String(String.UnicodeScalarView(digits.suffix(4)))
        return plus + head + String(repeating: "*", count: digits.count - 6) + tail
    }

    static func emailMask(local: ArraySlice<Unicode.Scalar>, domain: ArraySlice<Unicode.Scalar>) -> String {
        let first = local.first.map { String($0) } ?? ""
        return first + "***@" + String(String.UnicodeScalarView(domain))
    }

    private static func isDomain(_ domain: ArraySlice<Unicode.Scalar>) -> Bool {
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty }
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar >= "0" && scalar <= "9" }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        isDigit(scalar) || (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
    }

    private static func isBoundary(_ scalar: Unicode.Scalar) -> Bool {
        !isAlphanumeric(scalar) && scalar != "." && scalar != "_"
    }

    private static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "-" || scalar == "(" || scalar == ")"
    }

    private static func isLocalPart(_ scalar: Unicode.Scalar) -> Bool {
        isAlphanumeric(scalar) || "._%+-".unicodeScalars.contains(scalar)
    }

    private static func isDomainPart(_ scalar: Unicode.Scalar) -> Bool {
        isAlphanumeric(scalar) || scalar == "." || scalar == "-"
    }
}
/// Which JSON keys and header names hold secrets or personal data.
enum LegacySensitiveKeys {
    enum Category: Equatable {
        /// Replaced whole: credentials of any kind.
        case secret
        /// Masked with a hint: phone numbers, addresses, people's ids.
        case personal
        /// Digit strings kept as they are (provider timestamps).
        case keepDigits
        case ordinary
    }

    private static let secretNames: Set<String> = [
        "token", "secret", "password", "passwd", "api_key", "apikey", "access_token", "refresh_token",
        "authorization", "bot_token", "app_secret", "webhook_secret", "signing_secret", "client_secret",
        "verify_token", "webhook_verify_token", "private_key", "cookie",
    ]
    private static let secretFragments = ["token", "secret", "password", "api_key", "apikey", "private_key"]

    // WhatsApp carries the customer's number as wa_id, from, to and recipient_id, and
    // their name under contacts[].profile; Telegram names people with *_name and username.
    private static let personalNames: Set<String> = [
        "phone", "phone_number", "wa_id", "from", "to", "recipient_id", "display_phone_number",
        "email", "e_mail", "mail", "input", "profile", "first_name", "last_name", "full_name", "username",
    ]
    private static let personalFragments = ["phone", "email"]

    private static let timestampNames: Set<String> = ["timestamp", "date", "edit_date", "time"]

    /// The category of a JSON key (case and `-`/`_` insensitive).
    static func category(_ key: String) -> Category {
        let name = key.lowercased().replacingOccurrences(of: "-", with: "_")
        if secretNames.contains(name) || secretFragments.contains(where: name.contains) { return .secret }
        if personalNames.contains(name) || personalFragments.contains(where: name.contains) { return .personal }
        if timestampNames.contains(name) { return .keepDigits }
        return .ordinary
    }

    private static let secretHeaders: Set<String> = [
        "authorization", "proxy-authorization", "cookie", "set-cookie", "x-hub-signature-256", "x-hub-signature",
        "x-telegram-bot-api-secret-token", "x-make-apikey", "webhook-signature", "x-api-key",
    ]
    private static let secretHeaderFragments = ["token", "secret", "key", "signature", "auth", "cookie", "password"]

    /// Whether a header's value is a credential or signature, to be replaced whole.
    static func isSecretHeader(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return secretHeaders.contains(lowered) || secretHeaderFragments.contains(where: lowered.contains)
    }
}
