/// Finds and masks e-mail addresses and phone numbers inside free text, without regexes
/// (Foundation's are slow and this runs on every logged payload).
enum TextMasking {
    /// A value known to be personal (under a key like `wa_id`): an address keeps its
    /// first letter and domain, a number its prefix and last four digits, anything else goes.
    static func maskWhole(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        if let at = scalars.firstIndex(of: "@"), at > 0 {
            return emailMask(local: scalars[..<at], domain: scalars[(at + 1)...])
        }
        let digitCount = scalars.filter(isDigit).count
        if digitCount >= 7 { return phoneMask(scalars[...]) }
        return PIIMasker.redacted
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
        guard digits.count >= 7 else { return PIIMasker.redacted }
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
