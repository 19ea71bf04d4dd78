
/// Why JSON text could not be parsed: where (byte offset, and JSON Pointer of the value being read) and what.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Byte offset of the problem in the text.
    public let offset: Int
    /// JSON Pointer of the value that was being read ("" for the root).
    public let pointer: String
    /// What is wrong, in words.
    public let message: String

    /// "byte N (pointer): message".
    public var description: String { "byte \(offset)\(pointer.isEmpty ? "" : " (\(pointer))"): \(message)" }
}

/// A strict RFC 8259 JSON parser over UTF-8 bytes, without Foundation or Codable.
///
/// Why our own: JSONDecoder costs microseconds per call and accepts duplicate object
/// keys silently; the invoke hot path needs the former gone and manifests need the
/// latter refused (a duplicate key is an ambiguity an attacker could exploit).
public enum JSONParser {
    /// Deeper nesting is refused instead of risking the stack on hostile input.
    public static let maxDepth = 256

    /// Parses one JSON value (surrounding whitespace allowed, nothing else).
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { (buffer) throws(JSONParseError) -> JSONValue in
            var reader = JSONReader(buffer, building: true)
            return try reader.document()
        }
    }

    /// Parses UTF-8 text.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    /// Whether `bytes` hold exactly one well-formed JSON value; builds nothing (no allocation).
    public static func isWellFormed(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var reader = JSONReader(bytes, building: false)
        do { _ = try reader.document(); return true } catch { return false }
    }

    /// Whether `bytes` hold exactly one well-formed JSON value.
    public static func isWellFormed(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { isWellFormed($0) }
    }
}

/// The recursive-descent reader behind `JSONParser`. With `building == false` it only
/// checks syntax and returns `.null` everywhere.
struct JSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let building: Bool
    var index = 0
    var depth = 0
    /// Path tokens of the value being read, kept only when building (for error pointers).
    var path: [String] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>, building: Bool) {
        self.bytes = bytes
        self.building = building
    }

    mutating func document() throws(JSONParseError) -> JSONValue {
        skipSpace()
        let value = try self.value()
        skipSpace()
        guard index == bytes.count else { throw fail("unexpected text after the JSON value") }
        return value
    }

    func fail(_ message: String) -> JSONParseError {
        let pointer = path.map { "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }.joined()
        return JSONParseError(offset: index, pointer: pointer, message: message)
    }

    mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func value() throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return building ? .string(try string()) : try skipString()
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return try number()
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw fail("invalid literal") }
        let start = word.utf8Start
        for offset in 0..<count where bytes[index + offset] != start[offset] { throw fail("invalid literal") }
        index += count
    }

    mutating func enter() throws(JSONParseError) {
        depth += 1
        guard depth <= JSONParser.maxDepth else { throw fail("nesting deeper than \(JSONParser.maxDepth)") }
    }

    mutating func object() throws(JSONParseError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var members: [String: JSONValue] = [:]
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return building ? .object(members) : .null }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            if building {
                let key = try string()
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                index += 1
                skipSpace()
                path.append(key)
                guard members[key] == nil else { throw fail("duplicate key '\(key)'") }
                members[key] = try value()
                path.removeLast()
            } else {
                _ = try skipString()
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                index += 1
                skipSpace()
                _ = try value()
            }
            skipSpace()
            guard index < bytes.count else { throw fail("unterminated object") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; break }
            throw fail("expected ',' or '}'")
        }
        return building ? .object(members) : .null
    }

    mutating func array() throws(JSONParseError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var items: [JSONValue] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return building ? .array(items) : .null }
        while true {
            skipSpace()
            if building {
                path.append(String(items.count))
                items.append(try value())
                path.removeLast()
            } else {
                _ = try value()
            }
            skipSpace()
            guard index < bytes.count else { throw fail("unterminated array") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; break }
            throw fail("expected ',' or ']'")
        }
        return building ? .array(items) : .null
    }
}
