/// HKDF-SHA256 (RFC 5869), built on `Crypto.hmacSHA256`.
///
/// Written over HMAC rather than OpenSSL's EVP_KDF because the COpenSSL shim
/// does not expose `openssl/kdf.h`, and the construction is two short loops.
enum HKDF {
    /// `length` bytes (at most 255 × 32) derived from `inputKey`, `salt` and `info`.
    static func sha256(inputKey: [UInt8], salt: [UInt8] = [], info: [UInt8], length: Int) -> [UInt8] {
        precondition(length > 0 && length <= 255 * OpenSSL.sha256Length, "HKDF-SHA256 output length")
        // Extract: an absent salt is HashLen zero bytes (RFC 5869 §2.2).
        var pseudoRandomKey = Crypto.hmacSHA256(
            key: salt.isEmpty ? [UInt8](repeating: 0, count: OpenSSL.sha256Length) : salt, message: inputKey)
        defer { OpenSSL.cleanse(&pseudoRandomKey) }
        // Expand: T(i) = HMAC(PRK, T(i-1) | info | i).
        var output = [UInt8]()
        var block = [UInt8]()
        var counter: UInt8 = 1
        while output.count < length {
            block = Crypto.hmacSHA256(key: pseudoRandomKey, message: block + info + [counter])
            output += block
            counter &+= 1
        }
        OpenSSL.cleanse(&block)
        return Array(output.prefix(length))
    }
}
