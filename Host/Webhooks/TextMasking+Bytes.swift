/// Byte classes of the masking rules, and the helpers that get a string's bytes in and a
/// new string out. The only unsafe-pointer code of the masker is in `withBytes` and
/// `makeString`, and it does not leave them: callers see `Span` and `OutputSpan`.
enum TextBytes {
    /// Calls `body` with the UTF-8 bytes of `text`, copied only when the string has no
    /// contiguous UTF-8 of its own. (`text.utf8.span` would do, but costs several times
    /// more for small strings, and this runs for every key and string of a payload.)
    static func withBytes<Result>(of text: String, _ body: (Span<UInt8>) -> Result) -> Result {
        if let result = text.utf8.withContiguousStorageIfAvailable({ body($0.span) }) { return result }
        let copy = Array(text.utf8)
        return body(copy.span)
    }

    /// A string of at most `capacity` UTF-8 bytes written by `body` straight into its
    /// storage: no intermediate array, and no heap at all for 15 bytes or fewer.
    /// Writing more than `capacity` traps (`OutputSpan` checks every append).
    static func makeString(capacity: Int, _ body: (inout OutputSpan<UInt8>) -> Void) -> String {
        String(unsafeUninitializedCapacity: capacity) { buffer in
            var out = OutputSpan(buffer: buffer, initializedCount: 0)
            body(&out)
            return out.finalize(for: buffer)
        }
    }

    static func copy(_ text: Span<UInt8>, _ range: Range<Int>, to out: inout OutputSpan<UInt8>) {
        for index in range { out.append(text[index]) }
    }

    static func copy(_ literal: StaticString, to out: inout OutputSpan<UInt8>) {
        let bytes = literal.utf8Start
        for offset in 0..<literal.utf8CodeUnitCount { out.append(bytes[offset]) }
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20) &- UInt8(ascii: "a") < 26
    }

    /// What may precede or follow a phone number: not a letter, digit, `.` or `_` (non-ASCII is a boundary).
    static func isBoundary(_ byte: UInt8) -> Bool {
        !isAlphanumeric(byte) && byte != UInt8(ascii: ".") && byte != UInt8(ascii: "_")
    }

    static func isSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")")
    }

    static func isLocalPart(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "%")
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
    }

    static func isDomainPart(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
    }

    /// Two or more non-empty labels separated by dots.
    static func isDomain(_ text: Span<UInt8>, _ range: Range<Int>) -> Bool {
        guard let first = range.first, let last = range.last,
              text[first] != UInt8(ascii: "."), text[last] != UInt8(ascii: ".") else { return false }
        var dots = 0
        for index in range where text[index] == UInt8(ascii: ".") {
            if text[index - 1] == UInt8(ascii: ".") { return false }
            dots += 1
        }
        return dots > 0
    }

    /// Runs over every byte of every logged string. Through a buffer pointer the loop
    /// compiles to straight-line code; indexing the span it branches on every byte.
    static func countDigitsAndAtSigns(_ text: Span<UInt8>) -> (digits: Int, atSigns: Int) {
        text.withUnsafeBufferPointer { buffer in
            var digits = 0
            var atSigns = 0
            for byte in buffer {
                digits &+= isDigit(byte) ? 1 : 0
                atSigns &+= byte == UInt8(ascii: "@") ? 1 : 0
            }
            return (digits, atSigns)
        }
    }

    static func digitCount(_ text: Span<UInt8>, in range: Range<Int>) -> Int {
        countDigitsAndAtSigns(text.extracting(range)).digits
    }

    static func firstIndex(of byte: UInt8, in text: Span<UInt8>) -> Int? {
        for index in text.indices where text[index] == byte { return index }
        return nil
    }

    /// Bytes in the UTF-8 sequence that `lead` starts (Swift strings are valid UTF-8).
    static func sequenceLength(lead: UInt8) -> Int {
        lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }
}
