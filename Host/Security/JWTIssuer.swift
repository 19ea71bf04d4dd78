import Foundation
import RenumCore

/// Mints HS256 tokens shaped like Supabase's, for `renum token` and for tests.
public struct JWTIssuer: Sendable {
    /// The `iss` of every minted token.
    public static let issuerName = "renum"

    private let config: JWTConfiguration

    /// An issuer signing with `config.secret` for `config.audience`.
    public init(_ config: JWTConfiguration) {
        self.config = config
    }

    /// A signed token for `subject`, valid from `now` for `ttl` seconds.
    ///
    /// `extraClaims` are applied last, so tests can override any standard claim
    /// (an array `aud`, a planted `user_metadata.role`, …).
    public func mint(subject: UUID, admin: Bool = false, email: String? = nil, ttl: TimeInterval = 3600,
                     now: Date = Date(), extraClaims: [String: JSONValue] = [:]) -> String {
        let issuedAt = now.timeIntervalSince1970.rounded(.down)
        var claims: [String: JSONValue] = [
            "iss": .string(Self.issuerName),
            "aud": .string(config.audience),
            "iat": .number(issuedAt),
            "exp": .number((issuedAt + ttl).rounded(.down)),
            // Supabase lowercases ids; UUID.uuidString is uppercase.
            "sub": .string(subject.uuidString.lowercased()),
            "role": "authenticated",
            "app_metadata": admin ? ["role": "admin"] : [:],
            "user_metadata": [:],
        ]
        if let email { claims["email"] = .string(email) }
        claims.merge(extraClaims) { _, extra in extra }

        let header = JWTJSON.encodeSegment(["alg": "HS256", "typ": "JWT"])
        let payload = JWTJSON.encodeSegment(.object(claims))
        let signingInput = header + "." + payload
        let signature = Crypto.hmacSHA256(key: config.secret, message: Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }
}
