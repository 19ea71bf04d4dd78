import Foundation

/// Names with non-ASCII characters, matched exactly as before the byte-level rewrite:
/// Unicode lowercasing (the Kelvin sign in `TO\u{212A}EN` lowercases to `k`), then
/// Foundation's search, which will not match a fragment whose last letter carries a
/// combining mark (`token\u{301}`) but does match before a joiner (`token\u{200D}`).
/// Those rules are Foundation's own, so this keeps Foundation rather than approximate
/// them. Slow, and only reached by names no provider sends: ASCII names never get here.
enum UnicodeNameMatching {
    static func category(_ key: String) -> SensitiveKeys.Category {
        let name = key.lowercased().replacingOccurrences(of: "-", with: "_")
        if SensitiveKeys.secretNames.contains(name) || SensitiveKeys.secretFragments.contains(where: name.contains) {
            return .secret
        }
        if SensitiveKeys.personalNames.contains(name) || SensitiveKeys.personalFragments.contains(where: name.contains) {
            return .personal
        }
        if SensitiveKeys.timestampNames.contains(name) { return .keepDigits }
        return .ordinary
    }

    static func isSecretHeader(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return SensitiveKeys.secretHeaders.contains(lowered) || SensitiveKeys.secretHeaderFragments.contains(where: lowered.contains)
    }
}
