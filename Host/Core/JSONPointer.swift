import Foundation

/// RFC 6901 JSON Pointer helpers.
public enum JSONPointer {
    /// Escapes one reference token ("~" → "~0", "/" → "~1").
    public static func escape(_ token: String) -> String {
        guard token.contains("~") || token.contains("/") else { return token }
        return token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// Joins tokens into a pointer ("" for no tokens).
    public static func join(_ tokens: [String]) -> String {
        var out = ""
        for t in tokens { out += "/" + escape(t) }
        return out
    }

    /// Splits a pointer into unescaped tokens; nil when it does not start with "/".
    public static func tokens(_ pointer: String) -> [String]? {
        if pointer.isEmpty { return [] }
        guard pointer.hasPrefix("/") else { return nil }
        return pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            // Order matters: "~01" must become "~1", not "/".
            String($0).replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    /// The value `pointer` designates inside `root`, or nil when the path does not exist.
    public static func resolve(_ pointer: String, in root: JSONValue) -> JSONValue? {
        guard let tokens = tokens(pointer) else { return nil }
        var current = root
        for token in tokens {
            switch current {
            case .object(let members):
                guard let next = members[token] else { return nil }
                current = next
            case .array(let items):
                // RFC 6901: decimal index without leading zeros.
                guard let i = Int(token), i >= 0, i < items.count, String(i) == token else { return nil }
                current = items[i]
            default:
                return nil
            }
        }
        return current
    }
}
