/// Hashing, MACs, randomness and comparison for secrets, as safe Swift over OpenSSL.
public enum Crypto {
    /// SHA-256 digest (32 bytes) of `data`.
    public static func sha256(_ data: [UInt8]) -> [UInt8] {
        OpenSSL.sha256(data)
    }

    /// Lowercase hex SHA-256 of the UTF-8 bytes of `text`.
    public static func sha256Hex(_ text: String) -> String {
        Hex.encode(sha256(Array(text.utf8)))
    }

    /// HMAC-SHA256 (32 bytes) of `message` under `key`.
    public static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        OpenSSL.hmacSHA256(key: key, message: message)
    }

    /// `count` cryptographically secure random bytes; traps if the CSPRNG fails.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        OpenSSL.randomBytes(count)
    }

    /// Compares secrets without leaking, through timing, where they first differ.
    ///
    /// Lengths are not treated as secret (MACs and hashes have fixed, public
    /// lengths), so different lengths return false at once; equal lengths are
    /// compared with `CRYPTO_memcmp`, whose time depends only on the length.
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return OpenSSL.memoryEquals(a, b)
    }
}
