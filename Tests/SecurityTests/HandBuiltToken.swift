import Foundation
@testable import RenumSecurity

/// Builds compact JWTs from literal JSON text, independently of `JWTIssuer`,
/// so the verifier is checked against tokens it did not produce itself.
enum HandBuiltToken {
    static let secret = Array("super-secret-jwt-token-with-at-least-32-characters-long".utf8)
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let userID = UUID(uuidString: "0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")!
    static let standardHeader = #"{"alg":"HS256","typ":"JWT"}"#

    /// A Supabase-shaped payload; `extra` is spliced in verbatim before the closing brace.
    static func payload(exp: Int = 1_800_003_600, aud: String = #""authenticated""#,
                        sub: String = #""0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d""#, extra: String = "") -> String {
        #"{"aud":\#(aud),"exp":\#(exp),"iat":1800000000,"iss":"https://ref.supabase.co/auth/v1","#
            + #""sub":\#(sub),"email":"ada@example.com","role":"authenticated","#
            + #""app_metadata":{"provider":"email"},"user_metadata":{},"session_id":"s"\#(extra)}"#
    }

    /// `header.payload.signature` with the HMAC computed over the encoded segments.
    static func make(header: String = standardHeader, payload: String = payload(), key: [UInt8] = secret) -> String {
        let signingInput = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8))
        return signingInput + "." + Base64URL.encode(Crypto.hmacSHA256(key: key, message: Array(signingInput.utf8)))
    }

    /// `header.payload.` followed by the given signature text, unsigned.
    static func unsigned(header: String, payload: String = payload(), signature: String = "") -> String {
        Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8)) + "." + signature
    }
}
