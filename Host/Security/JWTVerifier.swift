import Foundation
import RenumCore

/// Verifies Supabase-compatible HS256 access tokens and turns them into a `Principal`.
///
/// Only HS256 is accepted: the algorithm is checked against a fixed value before
/// any signature work, so `none`, HS512 and public-key algorithms can never
/// select how a token is checked. Claims are read only after the signature holds.
public struct JWTVerifier: Sendable {
    /// Longest token accepted; bounds base64, JSON and HMAC work on hostile input.
    static let maximumTokenLength = 8 * 1024

    private let config: JWTConfiguration
    private let cache: VerifiedTokenCache

    /// A verifier for `config`, remembering up to `cacheCapacity` verified tokens (0: none).
    public init(_ config: JWTConfiguration, cacheCapacity: Int = 10_000) {
        self.config = config
        self.cache = VerifiedTokenCache(capacity: cacheCapacity)
    }

    /// Checks a compact JWT at `now` and returns its principal.
    public func verify(_ token: String, now: Date = Date()) throws(AuthError) -> Principal {
        if let known = cache.lookup(token) {
            try checkWindow(expiry: known.expiry, notBefore: known.notBefore, now: now)
            return known.principal
        }
        let claims = try verifiedClaims(token)
        try checkTime(claims, now: now)
        try checkAudience(claims)
        try checkIssuer(claims)
        guard let subject = claims["sub"]?.stringValue, let userID = UUID(text: subject) else {
            throw AuthError(.invalidSubject, "token subject is not a user id")
        }
        // Only app_metadata is admin-controlled; user_metadata is user-editable and the
        // top-level `role` is Supabase's Postgres role ("authenticated"), not ours.
        let isAdmin = claims["app_metadata"]?["role"]?.stringValue == "admin"
        let principal = Principal(userID: userID, isAdmin: isAdmin, email: claims["email"]?.stringValue)
        if let expiry = claims["exp"]?.numberValue {
            cache.insert(token, .init(principal: principal, expiry: expiry, notBefore: claims["nbf"]?.numberValue),
                         now: now.timeIntervalSince1970)
        }
        return principal
    }

    /// Verifies the token of an `Authorization: Bearer <jwt>` header.
    ///
    /// No header (or a blank one) is `.missing`; another scheme or an empty token is `.malformed`.
    public func authenticate(authorizationHeader: String?, now: Date = Date()) throws(AuthError) -> Principal {
        guard let header = authorizationHeader?.trimmingCharacters(in: .whitespaces), !header.isEmpty else {
            throw AuthError(.missing, "no Authorization header")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw AuthError(.malformed, "Authorization scheme must be Bearer")
        }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty else { throw AuthError(.malformed, "Bearer token is empty") }
        return try verify(token, now: now)
    }

    /// Splits, checks the header and signature, and returns the payload object.
    private func verifiedClaims(_ token: String) throws(AuthError) -> JSONValue {
        guard token.utf8.count <= Self.maximumTokenLength else {
            throw AuthError(.malformed, "token is too long")
        }
        let segments = token.split(separator: ".", omittingEmptySubsequences: false)
        guard segments.count == 3 else { throw AuthError(.malformed, "token must have three segments") }

        guard let headerBytes = Base64URL.decode(String(segments[0])), let header = JWTJSON.parse(headerBytes),
              header.objectValue != nil else {
            throw AuthError(.malformed, "token header is not a base64url JSON object")
        }
        guard header["alg"]?.stringValue == "HS256" else {
            throw AuthError(.unsupportedAlgorithm, "only HS256 tokens are accepted")
        }
        if let type = header["typ"], type.stringValue != "JWT" {
            throw AuthError(.malformed, "token type must be JWT")
        }
        // RFC 7515 §4.1.11: extensions marked critical that we do not understand must be refused.
        if header["crit"] != nil {
            throw AuthError(.malformed, "critical header extensions are not supported")
        }

        guard let payloadBytes = Base64URL.decode(String(segments[1])),
              let signature = Base64URL.decode(String(segments[2])) else {
            throw AuthError(.malformed, "token segments are not base64url")
        }
        // Fail closed: an empty key would make every attacker's HMAC valid.
        guard !config.secret.isEmpty else { throw AuthError(.badSignature, "token signature is invalid") }
        let signingInput = Array(segments[0].utf8) + [UInt8(ascii: ".")] + Array(segments[1].utf8)
        let expected = Crypto.hmacSHA256(key: config.secret, message: signingInput)
        guard Crypto.constantTimeEquals(expected, signature) else {
            throw AuthError(.badSignature, "token signature is invalid")
        }

        guard let claims = JWTJSON.parse(payloadBytes), claims.objectValue != nil else {
            throw AuthError(.malformed, "token payload is not a JSON object")
        }
        return claims
    }

    private func checkTime(_ claims: JSONValue, now: Date) throws(AuthError) {
        guard let expiry = claims["exp"]?.numberValue else {
            throw AuthError(.malformed, "token has no numeric exp claim")
        }
        var notBefore: Double?
        if let value = claims["nbf"] {
            guard let number = value.numberValue else {
                throw AuthError(.malformed, "token nbf claim is not a number")
            }
            notBefore = number
        }
        try checkWindow(expiry: expiry, notBefore: notBefore, now: now)
    }

    private func checkWindow(expiry: Double, notBefore: Double?, now: Date) throws(AuthError) {
        let leeway = max(0, config.leeway)
        let seconds = now.timeIntervalSince1970
        if seconds > expiry + leeway { throw AuthError(.expired, "token has expired") }
        if let notBefore, seconds + leeway < notBefore { throw AuthError(.notYetValid, "token is not valid yet") }
    }

    private func checkAudience(_ claims: JSONValue) throws(AuthError) {
        let audiences: [String]
        switch claims["aud"] {
        case .string(let single)?: audiences = [single]
        case .array(let many)?: audiences = many.compactMap(\.stringValue)
        default: audiences = []
        }
        guard audiences.contains(config.audience) else {
            throw AuthError(.wrongAudience, "token audience is not accepted")
        }
    }

    private func checkIssuer(_ claims: JSONValue) throws(AuthError) {
        guard let issuer = config.issuer else { return }
        guard claims["iss"]?.stringValue == issuer else {
            throw AuthError(.wrongIssuer, "token issuer is not accepted")
        }
    }
}
