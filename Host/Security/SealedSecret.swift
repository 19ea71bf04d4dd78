/// A secret sealed by `CredentialVault`: a self-describing blob, safe to store in a BLOB column.
///
/// Layout (format 1), integers big-endian:
///
///     offset  size  field
///     0       1     format (1)
///     1       4     KEK version
///     5       12    nonce of the data-key wrap
///     17      32    wrapped data key
///     49      16    tag of the data-key wrap
///     65      12    nonce of the data encryption
///     77      n     ciphertext
///     77+n    16    tag of the data encryption
///
/// The KEK version is in the clear so the right key can be chosen, and is bound into
/// the wrap's authenticated data so editing it makes opening fail.
public struct SealedSecret: Sendable, Equatable {
    /// The only format this code writes and reads.
    static let format: UInt8 = 1
    /// The smallest valid blob: every fixed field plus an empty ciphertext.
    static let minimumLength = 1 + 4 + AESGCM.nonceLength + AESGCM.keyLength + AESGCM.tagLength
        + AESGCM.nonceLength + AESGCM.tagLength

    /// The KEK version the data key is wrapped under.
    public let keyVersion: UInt32
    let wrapNonce: [UInt8]
    let wrappedKey: [UInt8]
    let wrapTag: [UInt8]
    let dataNonce: [UInt8]
    let ciphertext: [UInt8]
    let dataTag: [UInt8]

    init(keyVersion: UInt32, wrapNonce: [UInt8], wrappedKey: [UInt8], wrapTag: [UInt8],
         dataNonce: [UInt8], ciphertext: [UInt8], dataTag: [UInt8]) {
        precondition(wrapNonce.count == AESGCM.nonceLength && dataNonce.count == AESGCM.nonceLength
                     && wrappedKey.count == AESGCM.keyLength && wrapTag.count == AESGCM.tagLength
                     && dataTag.count == AESGCM.tagLength, "sealed secret field sizes")
        self.keyVersion = keyVersion
        self.wrapNonce = wrapNonce
        self.wrappedKey = wrappedKey
        self.wrapTag = wrapTag
        self.dataNonce = dataNonce
        self.ciphertext = ciphertext
        self.dataTag = dataTag
    }

    /// Parses a stored blob. Throws `.malformed` for anything that is not a complete
    /// format-1 blob (wrong format byte, version 0, too short); never traps on input.
    /// Authenticity is checked only when the vault opens it.
    public init(bytes: [UInt8]) throws(VaultError) {
        guard bytes.count >= Self.minimumLength else {
            throw VaultError(.malformed, "sealed secret is shorter than \(Self.minimumLength) bytes")
        }
        guard bytes[0] == Self.format else {
            throw VaultError(.malformed, "unknown sealed secret format \(bytes[0])")
        }
        let version = bytes[1...4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard version >= 1 else { throw VaultError(.malformed, "sealed secret names key version 0") }
        var offset = 5
        func take(_ count: Int) -> [UInt8] {
            defer { offset += count }
            return Array(bytes[offset..<offset + count])
        }
        let wrapNonce = take(AESGCM.nonceLength)
        let wrappedKey = take(AESGCM.keyLength)
        let wrapTag = take(AESGCM.tagLength)
        let dataNonce = take(AESGCM.nonceLength)
        let ciphertext = take(bytes.count - offset - AESGCM.tagLength)
        let dataTag = take(AESGCM.tagLength)
        self.init(keyVersion: version, wrapNonce: wrapNonce, wrappedKey: wrappedKey, wrapTag: wrapTag,
                  dataNonce: dataNonce, ciphertext: ciphertext, dataTag: dataTag)
    }

    /// The stored form.
    public var bytes: [UInt8] {
        var out = [Self.format]
        out.reserveCapacity(Self.minimumLength + ciphertext.count)
        out += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: keyVersion >> UInt32($0)) }
        out += wrapNonce + wrappedKey + wrapTag + dataNonce + ciphertext + dataTag
        return out
    }
}
