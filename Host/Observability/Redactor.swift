/// Decides which log fields may hold secrets and masks them.
///
/// A key is judged by name because a secret's value cannot be recognised reliably;
/// the list errs on the side of masking.
public enum Redactor {
    public static let mask = "[REDACTED]"

    private static let sensitiveFragments = [
        "authorization", "token", "secret", "password", "passwd", "api_key", "apikey",
        "cookie", "credential", "signature", "private_key", "master_key", "jwt",
    ]

    /// True when a field named `key` must never be written out in clear.
    public static func isSensitive(key: String) -> Bool {
        let lowered = key.lowercased().replacingOccurrences(of: "-", with: "_")
        return sensitiveFragments.contains { lowered.contains($0) }
    }

    public static func redact(key: String, value: String) -> String {
        isSensitive(key: key) ? mask : value
    }

    public static func redact(_ fields: [String: String]) -> [String: String] {
        var out = fields
        for (key, value) in fields { out[key] = redact(key: key, value: value) }
        return out
    }
}
