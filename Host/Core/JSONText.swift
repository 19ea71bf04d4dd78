import Foundation

/// JSON text for storage columns and back.
public enum JSONText {
    /// Compact JSON with sorted keys. Encoding a `JSONValue` cannot fail (it holds only JSON).
    public static func encode(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Parses stored JSON text; nil when it is not JSON.
    public static func decode(_ text: String) -> JSONValue? {
        try? JSONParser.parse(text)
    }
}

