/// Why the credentials vault could not seal, open or manage keys.
///
/// Messages are fixed texts plus, at most, paths, version numbers and errno
/// descriptions: never key bytes, plaintext or ciphertext.
public struct VaultError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure, stable for mapping to responses and metrics.
    public enum Code: String, Sendable {
        /// A tag did not verify: wrong key, wrong context, or modified bytes.
        case authenticationFailed
        /// A sealed blob, key file or key ring file is not in the expected format.
        case malformed
        /// A sealed blob names a key version the key ring does not hold.
        case unknownKeyVersion
        /// The master key configuration is wrong (bad `RENUM_MASTER_KEY`, conflicting sources).
        case keySource
        /// Reading or writing key material on disk failed.
        case io
    }

    /// The kind of failure.
    public let code: Code
    /// A human-readable explanation free of secret bytes.
    public let message: String

    /// An error with `code` and a secret-free `message`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(code.rawValue): \(message)" }
}
