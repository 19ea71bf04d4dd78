/// Opaque bearer secrets (integration tokens and the like): shown once, stored only as a hash.
public enum TokenGenerator {
    /// `prefix` followed by base64url of `bytes` random bytes (32 bytes = 256 bits by default).
    public static func generate(prefix: String = "rnm_", bytes: Int = 32) -> String {
        prefix + Base64URL.encode(Crypto.randomBytes(bytes))
    }

    /// Lowercase hex SHA-256 of `token`: the only form that gets stored.
    ///
    /// A plain hash suffices because generated tokens carry 256 random bits, so
    /// there is nothing for a salt or slow hash to protect against.
    public static func hash(_ token: String) -> String {
        Crypto.sha256Hex(token)
    }

    /// True when `token` hashes to `hash` (hex, either case), compared in constant time.
    public static func matches(_ token: String, hash: String) -> Bool {
        Crypto.constantTimeEquals(Array(self.hash(token).utf8), Array(hash.lowercased().utf8))
    }
}
