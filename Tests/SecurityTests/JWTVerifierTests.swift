import Foundation
import Testing
import RenumCore
@testable import RenumSecurity

@Suite struct JWTVerifierTests {
    let verifier = JWTVerifier(JWTConfiguration(secret: HandBuiltToken.secret))
    let now = HandBuiltToken.now

    private func reason(_ token: String, verifier: JWTVerifier? = nil, at date: Date? = nil) -> AuthError.Reason? {
        do {
            _ = try (verifier ?? self.verifier).verify(token, now: date ?? now)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test func handBuiltTokenYieldsPrincipal() throws {
        let principal = try verifier.verify(HandBuiltToken.make(), now: now)
        #expect(principal == Principal(userID: HandBuiltToken.userID, isAdmin: false, email: "ada@example.com"))
    }

    @Test func knownGoodTokenFromFixedText() throws {
        // Signed by hand with key "secret": pins the wire format, not only a round trip.
        let header = #"{"alg":"HS256","typ":"JWT"}"#
        let payload = #"{"sub":"0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","aud":"authenticated","exp":1800003600}"#
        let token = HandBuiltToken.make(header: header, payload: payload, key: Array("secret".utf8))
        #expect(token.hasPrefix("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."))
        let principal = try JWTVerifier(JWTConfiguration(secret: Array("secret".utf8))).verify(token, now: now)
        #expect(principal.userID == HandBuiltToken.userID)
        #expect(principal.email == nil)
    }

    @Test func expiredAndLeeway() {
        let token = HandBuiltToken.make(payload: HandBuiltToken.payload(exp: 1_800_000_000))
        #expect(reason(token, at: now) == nil)
        #expect(reason(token, at: now + 30) == nil)           // within the default 30 s leeway
        #expect(reason(token, at: now + 31) == .expired)
        let strict = JWTVerifier(JWTConfiguration(secret: HandBuiltToken.secret, leeway: 0))
        #expect(reason(token, verifier: strict, at: now + 1) == .expired)
    }

    @Test func notYetValidAndLeeway() {
        let token = HandBuiltToken.make(payload: HandBuiltToken.payload(extra: #","nbf":1800000100"#))
        #expect(reason(token, at: now) == .notYetValid)
        #expect(reason(token, at: now + 70) == nil)           // 30 s early is tolerated
        #expect(reason(token, at: now + 100) == nil)
        let bad = HandBuiltToken.make(payload: HandBuiltToken.payload(extra: #","nbf":"soon""#))
        #expect(reason(bad) == .malformed)
    }

    @Test func missingExpIsRejected() {
        let payload = #"{"sub":"0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","aud":"authenticated"}"#
        #expect(reason(HandBuiltToken.make(payload: payload)) == .malformed)
        let stringExp = #"{"sub":"0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","aud":"authenticated","exp":"1800003600"}"#
        #expect(reason(HandBuiltToken.make(payload: stringExp)) == .malformed)
    }

    @Test func wrongKeyFailsSignature() {
        #expect(reason(HandBuiltToken.make(key: Array("another-secret".utf8))) == .badSignature)
    }

    @Test func emptySecretFailsClosed() {
        let empty = JWTVerifier(JWTConfiguration(secret: []))
        #expect(reason(HandBuiltToken.make(key: []), verifier: empty) == .badSignature)
    }

    @Test func algNoneRejected() {
        let none = #"{"alg":"none","typ":"JWT"}"#
        #expect(reason(HandBuiltToken.unsigned(header: none)) == .unsupportedAlgorithm)
        // Even with a signature that is a valid HMAC under the real key.
        #expect(reason(HandBuiltToken.make(header: none)) == .unsupportedAlgorithm)
        #expect(reason(HandBuiltToken.unsigned(header: none, signature: "Zm9yZ2Vk")) == .unsupportedAlgorithm)
        #expect(reason(HandBuiltToken.make(header: #"{"alg":"None","typ":"JWT"}"#)) == .unsupportedAlgorithm)
        #expect(reason(HandBuiltToken.make(header: #"{"typ":"JWT"}"#)) == .unsupportedAlgorithm)
        #expect(reason(HandBuiltToken.make(header: #"{"alg":"hs256"}"#)) == .unsupportedAlgorithm)
    }

    @Test func otherAlgorithmsRejected() {
        #expect(reason(HandBuiltToken.make(header: #"{"alg":"HS512","typ":"JWT"}"#)) == .unsupportedAlgorithm)
        #expect(reason(HandBuiltToken.make(header: #"{"alg":"RS256","typ":"JWT"}"#)) == .unsupportedAlgorithm)
        #expect(reason(HandBuiltToken.make(header: #"{"alg":"ES256","kid":"k"}"#)) == .unsupportedAlgorithm)
    }

    @Test func headerTypeAndCrit() {
        #expect(reason(HandBuiltToken.make(header: #"{"alg":"HS256"}"#)) == nil)
        #expect(reason(HandBuiltToken.make(header: #"{"alg":"HS256","typ":"JWE"}"#)) == .malformed)
        #expect(reason(HandBuiltToken.make(header: #"{"alg":"HS256","crit":["exp"]}"#)) == .malformed)
    }

    @Test func audience() {
        #expect(reason(HandBuiltToken.make(payload: HandBuiltToken.payload(aud: #""anon""#))) == .wrongAudience)
        #expect(reason(HandBuiltToken.make(payload: HandBuiltToken.payload(aud: #"["x","authenticated"]"#))) == nil)
        #expect(reason(HandBuiltToken.make(payload: HandBuiltToken.payload(aud: #"["x","y"]"#))) == .wrongAudience)
        #expect(reason(HandBuiltToken.make(payload: HandBuiltToken.payload(aud: "[]"))) == .wrongAudience)
        #expect(reason(HandBuiltToken.make(payload: HandBuiltToken.payload(aud: "null"))) == .wrongAudience)
        let noAud = #"{"sub":"0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","exp":1800003600}"#
        #expect(reason(HandBuiltToken.make(payload: noAud)) == .wrongAudience)
    }

    @Test func issuerCheckedOnlyWhenConfigured() {
        let token = HandBuiltToken.make()
        let right = JWTVerifier(JWTConfiguration(secret: HandBuiltToken.secret, issuer: "https://ref.supabase.co/auth/v1"))
        let wrong = JWTVerifier(JWTConfiguration(secret: HandBuiltToken.secret, issuer: "https://other.supabase.co/auth/v1"))
        #expect(reason(token) == nil)
        #expect(reason(token, verifier: right) == nil)
        #expect(reason(token, verifier: wrong) == .wrongIssuer)
    }

    @Test func malformedTokens() {
        let good = HandBuiltToken.make()
        let parts = good.split(separator: ".").map(String.init)
        #expect(reason(parts[0] + "." + parts[1]) == .malformed)                 // two segments
        #expect(reason(good + ".x") == .malformed)                               // four segments
        #expect(reason("") == .malformed)
        #expect(reason("..") == .malformed)
        #expect(reason("e!J." + parts[1] + "." + parts[2]) == .malformed)        // bad base64 header
        #expect(reason(parts[0] + ".*." + parts[2]) == .malformed)               // bad base64 payload
        #expect(reason(parts[0] + "." + parts[1] + ".+/") == .malformed)         // bad base64 signature
        #expect(reason(HandBuiltToken.make(header: "not json")) == .malformed)
        #expect(reason(HandBuiltToken.make(header: #"["alg","HS256"]"#)) == .malformed)
        #expect(reason(HandBuiltToken.make(payload: "not json")) == .malformed)
        #expect(reason(HandBuiltToken.make(payload: #"["not","an","object"]"#)) == .malformed)
        #expect(reason(HandBuiltToken.make(payload: #""string""#)) == .malformed)
    }

    @Test func oversizedTokenRejectedBeforeParsing() {
        let padding = String(repeating: "a", count: 9000)
        let huge = HandBuiltToken.make(payload: HandBuiltToken.payload(extra: #","pad":"\#(padding)""#))
        #expect(reason(huge) == .malformed)
        let hugeHeader = HandBuiltToken.make(header: #"{"alg":"HS256","x":"\#(padding)"}"#)
        #expect(reason(hugeHeader) == .malformed)
    }

    @Test func deeplyNestedHeaderIsMalformedNotACrash() {
        let nested = String(repeating: "[", count: 3000) + String(repeating: "]", count: 3000)
        #expect(reason(HandBuiltToken.make(header: nested)) == .malformed)
    }

    @Test func subjectMustBeUUID() {
        #expect(reason(HandBuiltToken.make(payload: HandBuiltToken.payload(sub: #""user-42""#))) == .invalidSubject)
        #expect(reason(HandBuiltToken.make(payload: HandBuiltToken.payload(sub: "42"))) == .invalidSubject)
        #expect(reason(HandBuiltToken.make(payload: HandBuiltToken.payload(sub: #""""#))) == .invalidSubject)
        let noSub = #"{"aud":"authenticated","exp":1800003600}"#
        #expect(reason(HandBuiltToken.make(payload: noSub)) == .invalidSubject)
    }

    @Test func adminOnlyFromAppMetadata() throws {
        let admin = #"{"aud":"authenticated","exp":1800003600,"sub":"0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","app_metadata":{"role":"admin"}}"#
        #expect(try verifier.verify(HandBuiltToken.make(payload: admin), now: now).isAdmin)

        let impostor = #"{"aud":"authenticated","exp":1800003600,"sub":"0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","role":"admin","user_metadata":{"role":"admin"},"app_metadata":{"provider":"email"}}"#
        #expect(try !verifier.verify(HandBuiltToken.make(payload: impostor), now: now).isAdmin)

        let roleAsArray = #"{"aud":"authenticated","exp":1800003600,"sub":"0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","app_metadata":{"role":["admin"]}}"#
        #expect(try !verifier.verify(HandBuiltToken.make(payload: roleAsArray), now: now).isAdmin)
    }

    @Test func tamperedPayloadFailsSignature() {
        let original = HandBuiltToken.make()
        let parts = original.split(separator: ".").map(String.init)
        let promoted = HandBuiltToken.payload(extra: "").replacingOccurrences(
            of: #""app_metadata":{"provider":"email"}"#, with: #""app_metadata":{"role":"admin"}"#)
        let forged = parts[0] + "." + Base64URL.encode(Array(promoted.utf8)) + "." + parts[2]
        #expect(reason(forged) == .badSignature)
    }

    @Test func truncatedSignatureFails() {
        let token = HandBuiltToken.make()
        #expect(reason(String(token.dropLast(3))) == .badSignature)
        #expect(reason(String(token.prefix(through: token.lastIndex(of: ".")!))) == .badSignature)
    }

    @Test func errorMessagesDoNotEchoTokenOrSecret() {
        let token = HandBuiltToken.make(key: Array("another-secret".utf8))
        do {
            _ = try verifier.verify(token, now: now)
            Issue.record("expected failure")
        } catch {
            #expect(!error.message.contains(token.split(separator: ".")[2]))
            #expect(!error.description.contains("super-secret"))
        }
    }
}

@Suite struct VerifiedTokenCacheTests {
    static let secret = Array("cache-secret-0123456789abcdef0123456789abcdef".utf8)

    @Test func aCachedTokenStillExpires() throws {
        let verifier = JWTVerifier(JWTConfiguration(secret: Self.secret, leeway: 0))
        let now = Date()
        let token = JWTIssuer(JWTConfiguration(secret: Self.secret)).mint(subject: UUID(), ttl: 60, now: now)
        _ = try verifier.verify(token, now: now)
        _ = try verifier.verify(token, now: now.addingTimeInterval(30))
        #expect(throws: AuthError.self) { try verifier.verify(token, now: now.addingTimeInterval(120)) }
    }

    @Test func aTamperedTokenIsNeverACacheHit() throws {
        let verifier = JWTVerifier(JWTConfiguration(secret: Self.secret))
        let token = JWTIssuer(JWTConfiguration(secret: Self.secret)).mint(subject: UUID())
        _ = try verifier.verify(token)
        #expect(throws: AuthError.self) { try verifier.verify(token + "A") }
        #expect(throws: AuthError.self) { try verifier.verify(String(token.dropLast())) }
    }

    @Test func aBoundedCacheKeepsVerifying() throws {
        let verifier = JWTVerifier(JWTConfiguration(secret: Self.secret), cacheCapacity: 4)
        let issuer = JWTIssuer(JWTConfiguration(secret: Self.secret))
        let users = (0..<10).map { _ in UUID() }
        for _ in 0..<2 {
            for user in users { #expect(try verifier.verify(issuer.mint(subject: user, now: Date(timeIntervalSince1970: 1_900_000_000)), now: Date(timeIntervalSince1970: 1_900_000_001)).userID == user) }
        }
    }
}
