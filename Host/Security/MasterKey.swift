import Foundation

/// A 32-byte key-encryption key: the root the credentials vault wraps data keys with.
///
/// The bytes are internal to the module and never printed: `description` is redacted
/// so a stray log line or interpolation cannot leak them.
public struct MasterKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Key size in bytes.
    public static let length = 32

    let bytes: [UInt8]

    /// A key from exactly 32 bytes; `.keySource` for any other length.
    public init(bytes: [UInt8]) throws(VaultError) {
        guard bytes.count == Self.length else {
            throw VaultError(.keySource, "a master key must be exactly 32 bytes, got \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// A key from standard base64 (padding required) of exactly 32 bytes, as
    /// `openssl rand -base64 32` prints; surrounding whitespace is ignored.
    public init(base64 text: String) throws(VaultError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let data = Data(base64Encoded: trimmed) else {
            throw VaultError(.keySource, "master key is not valid base64")
        }
        var decoded = Array(data)
        defer { OpenSSL.cleanse(&decoded) }
        try self.init(bytes: decoded)
    }

    /// A fresh key from the OpenSSL CSPRNG.
    public static func generate() -> MasterKey {
        // Length is right by construction.
        try! MasterKey(bytes: Crypto.randomBytes(length))
    }

    /// Standard base64 of the key, for writing the key file. Internal on purpose.
    var base64: String { Data(bytes).base64EncodedString() }

    /// The key-encryption key for `version` when every version derives from this one key:
    /// version 1 is the key itself, version N ≥ 2 is HKDF-SHA256(key, info: "renum-kek-vN").
    func derivedKEK(version: UInt32) -> MasterKey {
        precondition(version >= 1, "key versions start at 1")
        if version == 1 { return self }
        let derived = HKDF.sha256(inputKey: bytes, info: Array("renum-kek-v\(version)".utf8), length: Self.length)
        return try! MasterKey(bytes: derived)
    }

    /// Redacted: never the key bytes.
    public var description: String { "MasterKey(redacted)" }
    /// Redacted: never the key bytes.
    public var debugDescription: String { description }
}
