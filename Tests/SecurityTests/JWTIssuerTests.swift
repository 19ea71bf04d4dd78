import Foundation
import Testing
import RenumCore
@testable import RenumSecurity

@Suite struct JWTIssuerTests {
    let config = JWTConfiguration(secret: HandBuiltToken.secret)
    let now = HandBuiltToken.now

    private func decodedClaims(of token: String) -> JSONValue? {
        let payload = token.split(separator: ".")[1]
        return Base64URL.decode(String(payload)).flatMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0)) }
    }

    @Test func mintedTokenVerifies() throws {
        let token = JWTIssuer(config).mint(subject: HandBuiltToken.userID, email: "ada@example.com", now: now)
        let principal = try JWTVerifier(config).verify(token, now: now)
        #expect(principal == Principal(userID: HandBuiltToken.userID, isAdmin: false, email: "ada@example.com"))
    }

    @Test func mintedClaimsAreSupabaseShaped() throws {
        let token = JWTIssuer(config).mint(subject: HandBuiltToken.userID, admin: true, ttl: 600, now: now)
        let claims = try #require(decodedClaims(of: token))
        #expect(claims["iss"] == "renum")
        #expect(claims["aud"] == "authenticated")
        #expect(claims["iat"] == .number(1_800_000_000))
        #expect(claims["exp"] == .number(1_800_000_600))
        #expect(claims["sub"] == .string(HandBuiltToken.userID.uuidString.lowercased()))
        #expect(claims["role"] == "authenticated")
        #expect(claims["app_metadata"] == ["role": "admin"])
        #expect(claims["user_metadata"] == [:])
        #expect(claims["email"] == nil)
        #expect(try JWTVerifier(config).verify(token, now: now).isAdmin)
    }

    @Test func nonAdminHasEmptyAppMetadata() throws {
        let token = JWTIssuer(config).mint(subject: HandBuiltToken.userID, now: now)
        #expect(decodedClaims(of: token)?["app_metadata"] == [:])
    }

    @Test func mintedTokenExpires() {
        let token = JWTIssuer(config).mint(subject: HandBuiltToken.userID, ttl: 60, now: now)
        #expect(throws: AuthError(.expired, "token has expired")) {
            try JWTVerifier(config).verify(token, now: now + 91)
        }
    }

    @Test func extraClaimsOverrideStandardOnes() throws {
        let token = JWTIssuer(config).mint(subject: HandBuiltToken.userID, now: now,
                                           extraClaims: ["aud": ["a", "authenticated"], "user_metadata": ["role": "admin"]])
        let principal = try JWTVerifier(config).verify(token, now: now)
        #expect(!principal.isAdmin)
        #expect(decodedClaims(of: token)?["aud"] == ["a", "authenticated"])
    }

    @Test func signatureMatchesIndependentHMAC() {
        let token = JWTIssuer(config).mint(subject: HandBuiltToken.userID, now: now)
        let parts = token.split(separator: ".").map(String.init)
        let expected = Crypto.hmacSHA256(key: HandBuiltToken.secret, message: Array((parts[0] + "." + parts[1]).utf8))
        #expect(Base64URL.decode(parts[2]) == expected)
        #expect(parts[0] == Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8)))
    }
}
