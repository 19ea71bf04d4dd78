/// AES-256-GCM authenticated encryption (NIST SP 800-38D) over OpenSSL EVP.
///
/// Nonces must never repeat under one key; callers here draw a fresh random
/// 12-byte nonce per message and use each key for few messages.
public enum AESGCM {
    /// Key size in bytes (AES-256).
    public static let keyLength = 32
    /// Nonce size in bytes: the 96-bit IV GCM is designed around.
    public static let nonceLength = 12
    /// Tag size in bytes: the full 128 bits, never truncated.
    public static let tagLength = 16

    /// Encrypts `plaintext` and authenticates it together with `aad`.
    ///
    /// `key` must be 32 bytes and `nonce` 12 bytes; other sizes are a programming
    /// error and trap.
    public static func seal(key: [UInt8], nonce: [UInt8], plaintext: [UInt8],
                            aad: [UInt8]) -> (ciphertext: [UInt8], tag: [UInt8]) {
        precondition(key.count == keyLength, "AES-256-GCM needs a 32-byte key")
        precondition(nonce.count == nonceLength, "AES-256-GCM needs a 12-byte nonce")
        return OpenSSL.aes256GCMSeal(key: key, nonce: nonce, plaintext: plaintext, aad: aad)
    }

    /// Decrypts `ciphertext` after checking `tag` over it and `aad`.
    ///
    /// A 32-byte key is the caller's duty (other sizes trap); nonce and tag come with
    /// the data, so wrong sizes there throw `.malformed`. A tag that does not verify
    /// throws `.authenticationFailed` and releases no plaintext.
    public static func open(key: [UInt8], nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8],
                            aad: [UInt8]) throws(VaultError) -> [UInt8] {
        precondition(key.count == keyLength, "AES-256-GCM needs a 32-byte key")
        guard nonce.count == nonceLength, tag.count == tagLength else {
            throw VaultError(.malformed, "AES-GCM nonce must be 12 bytes and tag 16 bytes")
        }
        guard let plaintext = OpenSSL.aes256GCMOpen(key: key, nonce: nonce, ciphertext: ciphertext,
                                                    tag: tag, aad: aad) else {
            throw VaultError(.authenticationFailed, "AES-GCM tag did not verify")
        }
        return plaintext
    }
}
