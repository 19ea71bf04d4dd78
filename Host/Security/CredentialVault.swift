/// Envelope encryption for users' own credentials (BYOC) at rest.
///
/// Each secret gets a fresh random 32-byte data key (DEK) that encrypts it with
/// AES-256-GCM; the DEK is then wrapped with AES-256-GCM under the key ring's current
/// key-encryption key. Rotation therefore only re-wraps 48 bytes per secret (`rewrap`),
/// and one DEK never encrypts two messages, so random nonces cannot collide under it.
///
/// Authenticated data binds both layers to the `VaultContext` (purpose, user, record).
/// The wrap layer also binds the KEK version, which protects the clear version field of
/// the blob. The data layer deliberately omits the version: `rewrap` must leave the data
/// ciphertext untouched, and the DEK it needs is only reachable through a wrap that
/// verified with the version included.
///
/// Sensitive buffers (DEKs, intermediate plaintext) are wiped with `OPENSSL_cleanse`,
/// best effort only: Swift arrays are values that the runtime may have copied.
public struct CredentialVault: Sendable {
    private let keyRing: KeyRing

    /// A vault sealing under `keyRing`'s current version and opening any version it holds.
    public init(keyRing: KeyRing) {
        self.keyRing = keyRing
    }

    /// Encrypts `plaintext` for `context` under a fresh data key and the current KEK.
    public func seal(_ plaintext: [UInt8], context: VaultContext) throws(VaultError) -> SealedSecret {
        let (version, kek) = keyRing.currentKey()
        var dataKey = Crypto.randomBytes(AESGCM.keyLength)
        defer { OpenSSL.cleanse(&dataKey) }
        let dataNonce = Crypto.randomBytes(AESGCM.nonceLength)
        let data = AESGCM.seal(key: dataKey, nonce: dataNonce, plaintext: plaintext,
                               aad: context.associatedData(layer: "data"))
        let wrapNonce = Crypto.randomBytes(AESGCM.nonceLength)
        let wrapped = AESGCM.seal(key: kek.bytes, nonce: wrapNonce, plaintext: dataKey,
                                  aad: context.associatedData(layer: "dek", keyVersion: version))
        return SealedSecret(keyVersion: version, wrapNonce: wrapNonce, wrappedKey: wrapped.ciphertext,
                            wrapTag: wrapped.tag, dataNonce: dataNonce, ciphertext: data.ciphertext,
                            dataTag: data.tag)
    }

    /// Decrypts `sealed` if it was sealed for exactly `context` and nothing was modified.
    ///
    /// Throws `.unknownKeyVersion` when the ring lacks its KEK version and
    /// `.authenticationFailed` for any other mismatch (wrong context, edited bytes).
    public func open(_ sealed: SealedSecret, context: VaultContext) throws(VaultError) -> [UInt8] {
        var dataKey = try unwrapDataKey(sealed, context: context)
        defer { OpenSSL.cleanse(&dataKey) }
        return try AESGCM.open(key: dataKey, nonce: sealed.dataNonce, ciphertext: sealed.ciphertext,
                               tag: sealed.dataTag, aad: context.associatedData(layer: "data"))
    }

    /// Re-wraps the data key of `sealed` under the current KEK, leaving the data
    /// ciphertext as it is; returns `sealed` unchanged when it is already current.
    ///
    /// The data layer is verified first too, so a blob that would not open is never
    /// given a fresh wrap. Same errors as `open`.
    public func rewrap(_ sealed: SealedSecret, context: VaultContext) throws(VaultError) -> SealedSecret {
        var dataKey = try unwrapDataKey(sealed, context: context)
        defer { OpenSSL.cleanse(&dataKey) }
        var plaintext = try AESGCM.open(key: dataKey, nonce: sealed.dataNonce, ciphertext: sealed.ciphertext,
                                        tag: sealed.dataTag, aad: context.associatedData(layer: "data"))
        OpenSSL.cleanse(&plaintext)
        let (version, kek) = keyRing.currentKey()
        if version == sealed.keyVersion { return sealed }
        let wrapNonce = Crypto.randomBytes(AESGCM.nonceLength)
        let wrapped = AESGCM.seal(key: kek.bytes, nonce: wrapNonce, plaintext: dataKey,
                                  aad: context.associatedData(layer: "dek", keyVersion: version))
        return SealedSecret(keyVersion: version, wrapNonce: wrapNonce, wrappedKey: wrapped.ciphertext,
                            wrapTag: wrapped.tag, dataNonce: sealed.dataNonce, ciphertext: sealed.ciphertext,
                            dataTag: sealed.dataTag)
    }

    private func unwrapDataKey(_ sealed: SealedSecret, context: VaultContext) throws(VaultError) -> [UInt8] {
        let kek = try keyRing.key(version: sealed.keyVersion)
        return try AESGCM.open(key: kek.bytes, nonce: sealed.wrapNonce, ciphertext: sealed.wrappedKey,
                               tag: sealed.wrapTag, aad: context.associatedData(layer: "dek",
                                                                               keyVersion: sealed.keyVersion))
    }
}
