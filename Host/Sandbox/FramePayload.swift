/// Binary payload fields: integers big-endian, byte strings as `u32 length` + bytes.
/// Cheaper than JSON on the hot path and strict: any overrun is `FrameError.malformed`.
struct PayloadWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 64) { bytes.reserveCapacity(capacity) }

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u64(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func double(_ value: Double) { u64(value.bitPattern) }

    mutating func data(_ value: [UInt8]) {
        let count = UInt32(value.count)
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: count >> UInt32(shift))) }
        bytes.append(contentsOf: value)
    }

    mutating func string(_ value: String) { data(Array(value.utf8)) }
}

/// Reads what `PayloadWriter` wrote, in the same order.
struct PayloadReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// True when every byte was consumed (trailing bytes are garbage).
    var isAtEnd: Bool { offset == bytes.count }

    mutating func u8() throws(FrameError) -> UInt8 {
        guard offset < bytes.count else { throw FrameError.malformed("truncated u8") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u64() throws(FrameError) -> UInt64 {
        guard bytes.count - offset >= 8 else { throw FrameError.malformed("truncated u64") }
        var value: UInt64 = 0
        for index in offset..<offset + 8 { value = value << 8 | UInt64(bytes[index]) }
        offset += 8
        return value
    }

    mutating func int() throws(FrameError) -> Int {
        let value = try u64()
        guard value <= UInt64(Int.max) else { throw FrameError.malformed("integer out of range") }
        return Int(value)
    }

    mutating func double() throws(FrameError) -> Double { Double(bitPattern: try u64()) }

    mutating func data() throws(FrameError) -> [UInt8] {
        guard bytes.count - offset >= 4 else { throw FrameError.malformed("truncated length") }
        var count = 0
        for index in offset..<offset + 4 { count = count << 8 | Int(bytes[index]) }
        offset += 4
        guard bytes.count - offset >= count else { throw FrameError.malformed("truncated bytes") }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func string() throws(FrameError) -> String { String(decoding: try data(), as: UTF8.self) }

    /// Throws unless every byte was read.
    func finish() throws(FrameError) {
        guard isAtEnd else { throw FrameError.malformed("\(bytes.count - offset) trailing bytes") }
    }
}
