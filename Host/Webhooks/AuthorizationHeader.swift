import Foundation

/// Parsing of the `Authorization` header's `Bearer` and `Basic` schemes (RFC 6750, RFC 7617).
enum AuthorizationHeader {
    /// What a header value held.
    enum Parsed: Equatable {
        case credential(String)
        case malformed
    }

    /// The token of `Bearer <token>` (scheme name case-insensitive).
    static func bearer(_ value: String) -> Parsed {
        guard let rest = credentials(of: value, scheme: "bearer") else { return .malformed }
        return .credential(rest)
    }

    /// The decoded `user:password` of `Basic <base64>`.
    static func basic(_ value: String) -> Parsed {
        guard let rest = credentials(of: value, scheme: "basic"),
              let data = Data(base64Encoded: rest),
              let decoded = String(data: data, encoding: .utf8) else { return .malformed }
        return .credential(decoded)
    }

    private static func credentials(of value: String, scheme: String) -> String? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard let space = trimmed.firstIndex(of: " "),
              trimmed[..<space].lowercased() == scheme else { return nil }
        let rest = trimmed[space...].trimmingCharacters(in: .whitespaces)
        return rest.isEmpty || rest.contains(" ") ? nil : rest
    }
}
