import Foundation
import RenumCore

/// JSON coding for JWT segments, shared by the verifier and the issuer.
enum JWTJSON {
    /// Parses a decoded segment; nil when it is not JSON.
    static func parse(_ bytes: [UInt8]) -> JSONValue? {
        try? JSONParser.parse(bytes)
    }

    /// Base64url of the compact JSON encoding of `value`, keys sorted so minted tokens are reproducible.
    static func encodeSegment(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Base64URL.encode(Array(try encoder.encode(value)))
        } catch {
            // JSONValue fails to encode only for a non-finite number, which a caller
            // of the issuer can only put there by mistake.
            preconditionFailure("JWT claims must be encodable JSON (no NaN or infinity): \(error)")
        }
    }
}
