import Foundation
import Testing
@testable import RenumSecurity

@Suite struct BearerTests {
    let verifier = JWTVerifier(JWTConfiguration(secret: HandBuiltToken.secret))
    let token = HandBuiltToken.make()

    private func reason(_ header: String?) -> AuthError.Reason? {
        do {
            _ = try verifier.authenticate(authorizationHeader: header, now: HandBuiltToken.now)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test func acceptsBearerAnyCase() {
        #expect(reason("Bearer \(token)") == nil)
        #expect(reason("bearer \(token)") == nil)
        #expect(reason("BEARER \(token)") == nil)
        #expect(reason("  Bearer   \(token)  ") == nil)
    }

    @Test func missingHeader() {
        #expect(reason(nil) == .missing)
        #expect(reason("") == .missing)
        #expect(reason("   ") == .missing)
    }

    @Test func wrongSchemeOrNoToken() {
        #expect(reason("Basic dXNlcjpwYXNz") == .malformed)
        #expect(reason("Token \(token)") == .malformed)
        #expect(reason(token) == .malformed)
        #expect(reason("Bearer") == .malformed)
        #expect(reason("Bearer    ") == .malformed)
        #expect(reason("Bearer\(token)") == .malformed)
    }

    @Test func verificationFailuresPassThrough() {
        #expect(reason("Bearer \(HandBuiltToken.make(key: Array("nope".utf8)))") == .badSignature)
    }
}
