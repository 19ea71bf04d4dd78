import Foundation

extension UUID {
    /// The canonical lowercase text form (`6f1c1a34-3f34-…`), the form Renum stores and sends.
    ///
    /// Formatted by hand: Foundation's `uuidString` goes through `sprintf` on Linux, and
    /// ids are formatted many times per request.
    public var lowercasedString: String {
        let hex: StaticString = "0123456789abcdef"
        return withUnsafeBytes(of: uuid) { raw in
            String(unsafeUninitializedCapacity: 36) { out in
                var position = 0
                for (index, byte) in raw.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        out[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    out[position] = hex.utf8Start[Int(byte >> 4)]
                    out[position + 1] = hex.utf8Start[Int(byte & 0x0F)]
                    position += 2
                }
                return 36
            }
        }
    }

    /// Parses the canonical 36-character form, in either case; nil for anything else.
    public init?(text: String) {
        var bytes = [UInt8](repeating: 0, count: 16)
        var count = 0
        var index = 0
        var high: UInt8? = nil
        for char in text.utf8 {
            defer { index += 1 }
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard char == UInt8(ascii: "-") else { return nil }
                continue
            }
            let nibble: UInt8
            switch char {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = char - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = char - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = char - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let h = high {
                guard count < 16 else { return nil }
                bytes[count] = h << 4 | nibble
                count += 1
                high = nil
            } else {
                high = nibble
            }
        }
        guard index == 36, count == 16 else { return nil }
        self.init(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                         bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
