
// Strings and numbers for JSONReader. Strings must be valid UTF-8 without raw control
// characters; numbers follow the RFC 8259 grammar exactly (no leading zeros, no '+', no NaN).
extension JSONReader {
    /// Reads a string (index at the opening quote) and returns it decoded.
    mutating func string() throws(JSONParseError) -> String {
        index += 1
        // Escapes are rare: bytes are collected into an array only once one is met; otherwise the
        // string is made straight from the input.
        var collected: [UInt8]?
        var runStart = index
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let run = UnsafeBufferPointer(rebasing: bytes[runStart..<index])
                index += 1
                guard var collected else { return try makeString(run, ascii: ascii) }
                collected.append(contentsOf: run)
                return try collected.withUnsafeBufferPointer { (all) throws(JSONParseError) -> String in
                    try makeString(all, ascii: ascii)
                }
            }
            if byte < 0x20 { throw fail("raw control character in a string") }
            if byte == UInt8(ascii: "\\") {
                if collected == nil { collected = [] }
                collected!.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                let scalar = try escape()
                var encoded = ""
                encoded.unicodeScalars.append(scalar)
                collected!.append(contentsOf: encoded.utf8)
                if !scalar.isASCII { ascii = false }
                runStart = index
                continue
            }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
        throw fail("unterminated string")
    }

    /// The text of UTF-8 bytes, refused when they are not valid UTF-8. `String(decoding:)` takes
    /// the fast path for a contiguous buffer (unlike `String(validating:)` here) but repairs
    /// what is invalid, so anything non-ASCII is compared back with the input.
    private func makeString(_ utf8: UnsafeBufferPointer<UInt8>, ascii: Bool) throws(JSONParseError) -> String {
        let text = String(decoding: utf8, as: UTF8.self)
        guard ascii || text.utf8.elementsEqual(utf8) else { throw fail("string is not valid UTF-8") }
        return text
    }

    /// Checks a string without building it (index at the opening quote).
    mutating func skipString() throws(JSONParseError) -> JSONValue {
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { index += 1; return .null }
            if byte < 0x20 { throw fail("raw control character in a string") }
            if byte == UInt8(ascii: "\\") { _ = try escape(); continue }
            if byte < 0x80 { index += 1; continue }
            try skipUTF8Sequence()
        }
        throw fail("unterminated string")
    }

    /// One multi-byte UTF-8 sequence (index at its lead byte), checked per RFC 3629.
    mutating func skipUTF8Sequence() throws(JSONParseError) {
        let lead = bytes[index]
        let count: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: count = 1
        case 0xE0: count = 2; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: count = 2
        case 0xED: count = 2; high = 0x9F
        case 0xF0: count = 3; low = 0x90
        case 0xF1...0xF3: count = 3
        case 0xF4: count = 3; high = 0x8F
        default: throw fail("string is not valid UTF-8")
        }
        guard bytes.count - index > count else { throw fail("string is not valid UTF-8") }
        for offset in 1...count {
            let byte = bytes[index + offset]
            let (lo, hi) = offset == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
            guard byte >= lo && byte <= hi else { throw fail("string is not valid UTF-8") }
        }
        index += count + 1
    }

    /// Reads one escape (index at the backslash), including \u surrogate pairs.
    mutating func escape() throws(JSONParseError) -> Unicode.Scalar {
        guard index + 1 < bytes.count else { throw fail("unterminated escape") }
        let kind = bytes[index + 1]
        index += 2
        switch kind {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let first = try hex4()
            if (0xD800...0xDBFF).contains(first) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw fail("unpaired surrogate in \\u escape")
                }
                index += 2
                let second = try hex4()
                guard (0xDC00...0xDFFF).contains(second) else { throw fail("unpaired surrogate in \\u escape") }
                return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!
            }
            guard let scalar = Unicode.Scalar(first) else { throw fail("unpaired surrogate in \\u escape") }
            return scalar
        default:
            throw fail("invalid escape")
        }
    }

    mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard bytes.count - index >= 4 else { throw fail("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// Reads a number per the JSON grammar; whole numbers of up to 15 digits skip Double parsing.
    mutating func number() throws(JSONParseError) -> JSONValue {
        let start = index
        var integral = true
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw fail("invalid value") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            integral = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail("digit expected after '.'") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            integral = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail("digit expected in exponent") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        guard building else { return .null }
        let digits = UnsafeBufferPointer(rebasing: bytes[start..<index])
        if integral && digits.count <= 16 {
            var value: Int64 = 0
            var negative = false
            for byte in digits {
                if byte == UInt8(ascii: "-") { negative = true } else { value = value * 10 + Int64(byte - UInt8(ascii: "0")) }
            }
            return .number(Double(negative ? -value : value))
        }
        guard let value = Double(String(decoding: digits, as: UTF8.self)), value.isFinite else {
            throw fail("number out of range")
        }
        return .number(value)
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
