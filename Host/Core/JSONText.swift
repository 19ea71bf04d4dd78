import Foundation

/// JSON text for storage columns and back.
public enum JSONText {
    /// Compact JSON with sorted keys, written by `JSONWriter` (Foundation's encoder costs
    /// microseconds per call, and this runs in the storage writer's serial path).
    public static func encode(_ value: JSONValue) -> String {
        var writer = JSONWriter()
        writer.value(value)
        return writer.text
    }

    /// Parses stored JSON text; nil when it is not JSON.
    public static func decode(_ text: String) -> JSONValue? {
        try? JSONParser.parse(text)
    }
}

