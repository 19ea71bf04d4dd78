import COpenSSL

/// The one place Renum calls into OpenSSL's libcrypto.
///
/// Keeping every C call here means unsafe pointers and C return codes never leak
/// into the rest of the module: callers see `[UInt8]` in and `[UInt8]` out.
enum OpenSSL {
    /// SHA-256 output size in bytes.
    static let sha256Length = 32

    /// SHA-256 of `data` through the EVP interface (the low-level SHA256_* calls are deprecated in 3.0).
    static func sha256(_ data: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: sha256Length)
        var length: UInt32 = 0
        let ok = withNonNullBytes(data) { bytes, count in
            EVP_Digest(bytes, count, &digest, &length, EVP_sha256(), nil)
        }
        // EVP_Digest with the built-in SHA-256 only fails on allocation failure or a
        // broken libcrypto; neither is something a caller could handle.
        precondition(ok == 1 && length == UInt32(sha256Length), "EVP_Digest(SHA-256) failed")
        return digest
    }

    /// HMAC-SHA256 of `message` under `key`.
    static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        // HMAC takes an `int` key length; a key over 2 GiB is a bug of ours, not input.
        precondition(key.count <= Int(Int32.max), "HMAC key too long")
        var mac = [UInt8](repeating: 0, count: sha256Length)
        var length: UInt32 = 0
        let result = withNonNullBytes(key) { keyBytes, keyCount in
            withNonNullBytes(message) { messageBytes, messageCount in
                HMAC(EVP_sha256(), keyBytes, Int32(keyCount), messageBytes, messageCount, &mac, &length)
            }
        }
        // HMAC returns NULL only on allocation failure or a broken libcrypto.
        precondition(result != nil && length == UInt32(sha256Length), "HMAC(SHA-256) failed")
        return mac
    }

    /// `count` bytes from OpenSSL's CSPRNG.
    static func randomBytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0 && count <= Int(Int32.max), "random byte count out of range")
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        let ok = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        // A failed RAND_bytes means the CSPRNG could not be seeded. Returning anything
        // (zeros, a weaker source) would mint guessable secrets, so stopping is the only safe answer.
        precondition(ok == 1, "RAND_bytes failed: the OpenSSL CSPRNG is unavailable")
        return bytes
    }

    /// True when `a` and `b` (of equal length) hold the same bytes; time depends only on the length.
    static func memoryEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        precondition(a.count == b.count, "CRYPTO_memcmp needs equal lengths")
        return withNonNullBytes(a) { aBytes, count in
            withNonNullBytes(b) { bBytes, _ in CRYPTO_memcmp(aBytes, bBytes, count) == 0 }
        }
    }

    /// Runs `body` with a non-null pointer even for an empty array: some OpenSSL
    /// paths treat a NULL key or data pointer as "not given" rather than "empty".
    private static func withNonNullBytes<R>(_ bytes: [UInt8], _ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
        if bytes.isEmpty {
            var placeholder: UInt8 = 0
            return withUnsafePointer(to: &placeholder) { body($0, 0) }
        }
        return bytes.withUnsafeBufferPointer { body($0.baseAddress!, $0.count) }
    }
}
