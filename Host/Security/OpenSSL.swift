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

    /// AES-256-GCM key, nonce and tag sizes in bytes.
    static let gcmKeyLength = 32, gcmNonceLength = 12, gcmTagLength = 16

    /// AES-256-GCM encryption through EVP; returns the ciphertext (same length as
    /// `plaintext`) and the 16-byte tag. Lengths are checked by the caller (`AESGCM`).
    static func aes256GCMSeal(key: [UInt8], nonce: [UInt8], plaintext: [UInt8],
                              aad: [UInt8]) -> (ciphertext: [UInt8], tag: [UInt8]) {
        precondition(key.count == gcmKeyLength && nonce.count == gcmNonceLength, "AES-256-GCM key or nonce size")
        precondition(plaintext.count <= Int(Int32.max) && aad.count <= Int(Int32.max), "AES-GCM input too long")
        guard let context = EVP_CIPHER_CTX_new() else { preconditionFailure("EVP_CIPHER_CTX_new failed") }
        defer { EVP_CIPHER_CTX_free(context) }
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        var tag = [UInt8](repeating: 0, count: gcmTagLength)
        // The cipher is selected first and the key and IV given afterwards, as the EVP
        // GCM examples do, so an IV length set in between would apply (12 is the default).
        var ok = EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), nil, nil, nil) == 1
        ok = ok && withNonNullBytes(key) { keyBytes, _ in
            withNonNullBytes(nonce) { nonceBytes, _ in
                EVP_EncryptInit_ex(context, nil, nil, keyBytes, nonceBytes) == 1
            }
        }
        var written: Int32 = 0
        // A NULL output pointer is how EVP takes additional authenticated data;
        // empty AAD or plaintext is simply not fed (an empty update is not needed).
        if ok && !aad.isEmpty {
            ok = withNonNullBytes(aad) { EVP_EncryptUpdate(context, nil, &written, $0, Int32($1)) == 1 }
        }
        if ok && !plaintext.isEmpty {
            ok = withNonNullBytes(plaintext) { input, count in
                ciphertext.withUnsafeMutableBufferPointer {
                    EVP_EncryptUpdate(context, $0.baseAddress, &written, input, Int32(count)) == 1
                }
            } && Int(written) == plaintext.count
        }
        if ok {
            // GCM is a stream mode: Final emits no bytes, it only completes the tag.
            var finalBlock = [UInt8](repeating: 0, count: 16)
            ok = EVP_EncryptFinal_ex(context, &finalBlock, &written) == 1 && written == 0
        }
        ok = ok && EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(gcmTagLength), &tag) == 1
        // With valid sizes these calls fail only on allocation failure or a broken libcrypto.
        precondition(ok, "EVP AES-256-GCM encryption failed")
        return (ciphertext, tag)
    }

    /// AES-256-GCM decryption through EVP; nil when the tag does not verify (wrong key,
    /// nonce, AAD, or modified data). No plaintext is released unless the tag verifies.
    static func aes256GCMOpen(key: [UInt8], nonce: [UInt8], ciphertext: [UInt8],
                              tag: [UInt8], aad: [UInt8]) -> [UInt8]? {
        precondition(key.count == gcmKeyLength && nonce.count == gcmNonceLength && tag.count == gcmTagLength,
                     "AES-256-GCM key, nonce or tag size")
        precondition(ciphertext.count <= Int(Int32.max) && aad.count <= Int(Int32.max), "AES-GCM input too long")
        guard let context = EVP_CIPHER_CTX_new() else { preconditionFailure("EVP_CIPHER_CTX_new failed") }
        defer { EVP_CIPHER_CTX_free(context) }
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count)
        var expectedTag = tag  // EVP_CTRL_GCM_SET_TAG takes a mutable pointer.
        var ok = EVP_DecryptInit_ex(context, EVP_aes_256_gcm(), nil, nil, nil) == 1
        ok = ok && withNonNullBytes(key) { keyBytes, _ in
            withNonNullBytes(nonce) { nonceBytes, _ in
                EVP_DecryptInit_ex(context, nil, nil, keyBytes, nonceBytes) == 1
            }
        }
        var written: Int32 = 0
        if ok && !aad.isEmpty {
            ok = withNonNullBytes(aad) { EVP_DecryptUpdate(context, nil, &written, $0, Int32($1)) == 1 }
        }
        if ok && !ciphertext.isEmpty {
            ok = withNonNullBytes(ciphertext) { input, count in
                plaintext.withUnsafeMutableBufferPointer {
                    EVP_DecryptUpdate(context, $0.baseAddress, &written, input, Int32(count)) == 1
                }
            } && Int(written) == ciphertext.count
        }
        ok = ok && EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(gcmTagLength), &expectedTag) == 1
        precondition(ok, "EVP AES-256-GCM decryption setup failed")
        // Final is where the tag is checked; it fails (<= 0) for any mismatch.
        var finalBlock = [UInt8](repeating: 0, count: 16)
        guard EVP_DecryptFinal_ex(context, &finalBlock, &written) > 0 else {
            // The unverified plaintext must not outlive this call.
            cleanse(&plaintext)
            return nil
        }
        return plaintext
    }

    /// Overwrites `bytes` with zeros in a way the optimiser may not drop.
    ///
    /// Best effort only: Swift arrays are copy-on-write values, so earlier copies
    /// (or buffers left behind by growth) are out of reach of this call.
    static func cleanse(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress, buffer.count > 0 else { return }
            OPENSSL_cleanse(base, buffer.count)
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
