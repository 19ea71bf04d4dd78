/// Finds and masks e-mail addresses and phone numbers inside free text, without regexes
/// (Foundation's are slow and this runs on every string of every logged payload).
///
/// The rules work on UTF-8 bytes. Every character they look for is ASCII, and a byte of a
/// multi-byte sequence (0x80 and up) is never a digit, letter or separator, so any
/// non-ASCII character ends a number or an address, as it did when the rules ran on
/// Unicode scalars. Most strings hold neither an `@` nor seven digits: those come back as
/// the same `String`, without allocating; masked ones are written straight into their
/// new `String`.
enum TextMasking {
    /// `text` with every e-mail address and phone-number-like digit run masked.
    static func maskText(_ text: String) -> String {
        TextBytes.withBytes(of: text) { bytes in
            // One cheap pass decides whether either scanner needs to run at all.
            let (digits, ats) = TextBytes.countDigitsAndAtSigns(bytes)
            if ats > 0, let withoutEmails = maskEmails(bytes, atSigns: ats) {
                return maskPhones(withoutEmails.span) ?? String(decoding: withoutEmails, as: UTF8.self)
            }
            return digits >= 7 ? maskPhones(bytes) ?? text : text
        }
    }

    /// A value known to be personal (under a key like `wa_id`): an address keeps its
    /// first character and domain, a number its prefix and last four digits, anything else goes.
    static func maskWhole(_ text: String) -> String {
        TextBytes.withBytes(of: text) { bytes in
            if let at = TextBytes.firstIndex(of: UInt8(ascii: "@"), in: bytes), at > 0 {
                // At most three bytes longer: one character (up to four bytes, all before `@`) and `***@`.
                return TextBytes.makeString(capacity: bytes.count + 3) { out in
                    // The first character may be non-ASCII: keep its whole UTF-8 sequence.
                    TextBytes.copy(bytes, 0..<TextBytes.sequenceLength(lead: bytes[0]), to: &out)
                    TextBytes.copy("***@", to: &out)
                    TextBytes.copy(bytes, (at + 1)..<bytes.count, to: &out)
                }
            }
            if TextBytes.digitCount(bytes, in: bytes.indices) >= 7 {
                return TextBytes.makeString(capacity: bytes.count) { out in
                    writePhoneMask(bytes, run: bytes.indices, to: &out)
                }
            }
            return PIIMasker.redacted
        }
    }

    /// `+` if the run starts with one, the first two digits, a star for each digit between,
    /// the last four digits: never longer than the run. The run holds seven digits or more.
    static func writePhoneMask(_ text: Span<UInt8>, run: Range<Int>, to out: inout OutputSpan<UInt8>) {
        let count = TextBytes.digitCount(text, in: run)
        assert(count >= 7, "a phone number has seven digits or more")
        if text[run.lowerBound] == UInt8(ascii: "+") { out.append(UInt8(ascii: "+")) }
        var seen = 0
        for index in run where TextBytes.isDigit(text[index]) {
            if seen < 2 || seen >= count - 4 {
                out.append(text[index])
            } else if seen == 2 {
                out.append(repeating: UInt8(ascii: "*"), count: count - 6)
            }
            seen += 1
        }
    }
}
