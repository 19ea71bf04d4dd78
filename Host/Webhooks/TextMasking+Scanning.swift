// The two scanners behind `TextMasking.maskText`. Each finds its first match before
// building anything, so text with nothing to mask costs one pass and no allocation.
extension TextMasking {
    /// An address: the local part (kept to its first character) and the domain (kept whole).
    struct EmailMatch {
        let local: Range<Int>
        let domain: Range<Int>
    }

    /// The next address whose `@` is at or after `from`; its local part does not reach
    /// back before `floor` (the end of the previous address).
    static func nextEmail(in text: Span<UInt8>, from: Int, floor: Int) -> EmailMatch? {
        var index = from
        while index < text.count {
            guard text[index] == UInt8(ascii: "@") else { index += 1; continue }
            var start = index
            while start > floor, TextBytes.isLocalPart(text[start - 1]) { start -= 1 }
            var end = index + 1
            while end < text.count, TextBytes.isDomainPart(text[end]) { end += 1 }
            // A sentence ending right after the address leaves a trailing dot that is not part of it.
            while end > index + 1, text[end - 1] == UInt8(ascii: ".") || text[end - 1] == UInt8(ascii: "-") { end -= 1 }
            if start < index, TextBytes.isDomain(text, (index + 1)..<end) {
                return EmailMatch(local: start..<index, domain: (index + 1)..<end)
            }
            index += 1
        }
        return nil
    }

    /// The bytes of `text` with addresses replaced by `j***@example.com`, or nil when it
    /// holds none. Bytes, not a `String`: phone numbers are masked next, from these.
    /// `atSigns` (how many `@` the text has) bounds how much longer the result can be.
    static func maskEmails(_ text: Span<UInt8>, atSigns: Int) -> [UInt8]? {
        guard let first = nextEmail(in: text, from: 0, floor: 0) else { return nil }
        // Each address grows by three bytes at most (`a@b.io` → `a***@b.io`).
        return [UInt8](capacity: text.count + 3 * atSigns) { out in
            var emitted = 0
            var match: EmailMatch? = first
            while let email = match {
                TextBytes.copy(text, emitted..<email.local.lowerBound, to: &out)
                out.append(text[email.local.lowerBound])
                TextBytes.copy("***@", to: &out)
                TextBytes.copy(text, email.domain, to: &out)
                emitted = email.domain.upperBound
                match = nextEmail(in: text, from: emitted, floor: emitted)
            }
            TextBytes.copy(text, emitted..<text.count, to: &out)
        }
    }

    /// The next phone number starting at or after `from`: a run of seven or more digits
    /// (with optional `+`, spaces, dashes and parentheses between them). Digits glued to
    /// letters (ids like `wamid.HBgM…`) or to a decimal point are not phone numbers.
    static func nextPhone(in text: Span<UInt8>, from: Int) -> Range<Int>? {
        var index = from
        while index < text.count {
            let startsRun = TextBytes.isDigit(text[index])
                || (text[index] == UInt8(ascii: "+") && index + 1 < text.count && TextBytes.isDigit(text[index + 1]))
            guard startsRun, index == 0 || TextBytes.isBoundary(text[index - 1]) else { index += 1; continue }
            var end = index + 1
            var digits = TextBytes.isDigit(text[index]) ? 1 : 0
            var cursor = end
            while cursor < text.count {
                if TextBytes.isDigit(text[cursor]) {
                    digits += 1
                    cursor += 1
                    end = cursor
                } else if TextBytes.isSeparator(text[cursor]) {
                    cursor += 1
                } else {
                    break
                }
            }
            let followedByDecimal = end + 1 < text.count && text[end] == UInt8(ascii: ".") && TextBytes.isDigit(text[end + 1])
            let endsAtBoundary = end == text.count || (TextBytes.isBoundary(text[end]) && !followedByDecimal)
            if digits >= 7 && endsAtBoundary { return index..<end }
            // Skip the whole run either way: its tail must not be taken for a new number.
            index = end
        }
        return nil
    }

    /// `text` with phone numbers replaced by `+55*******4321`, or nil when it holds none.
    static func maskPhones(_ text: Span<UInt8>) -> String? {
        guard let first = nextPhone(in: text, from: 0) else { return nil }
        // A masked number is never longer than the number.
        return TextBytes.makeString(capacity: text.count) { out in
            var emitted = 0
            var match: Range<Int>? = first
            while let run = match {
                TextBytes.copy(text, emitted..<run.lowerBound, to: &out)
                writePhoneMask(text, run: run, to: &out)
                emitted = run.upperBound
                match = nextPhone(in: text, from: emitted)
            }
            TextBytes.copy(text, emitted..<text.count, to: &out)
        }
    }
}
