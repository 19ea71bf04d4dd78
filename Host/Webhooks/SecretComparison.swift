import RenumSecurity

/// Comparisons of presented credentials with configured ones.
enum SecretComparison {
    /// Whether `presented` equals `expected`, in time independent of their contents
    /// and of the expected length.
    ///
    /// `Crypto.constantTimeEquals` returns early on a length mismatch, which would tell
    /// a prober the secret's length; hashing both sides first makes the compared
    /// lengths fixed and public.
    static func equal(_ presented: String, _ expected: String) -> Bool {
        equal(Array(presented.utf8), Array(expected.utf8))
    }

    /// Byte form of `equal(_:_:)`.
    static func equal(_ presented: [UInt8], _ expected: [UInt8]) -> Bool {
        Crypto.constantTimeEquals(Crypto.sha256(presented), Crypto.sha256(expected))
    }

    /// Whether SHA-256(`token`) equals the stored lowercase-or-uppercase hex hash;
    /// nil when the stored hash is not 32 bytes of hex (a configuration fault).
    static func matchesStoredHash(_ token: String, storedHex: String) -> Bool? {
        guard let stored = Hex.decode(storedHex), stored.count == 32 else { return nil }
        return Crypto.constantTimeEquals(Crypto.sha256(Array(token.utf8)), stored)
    }
}
