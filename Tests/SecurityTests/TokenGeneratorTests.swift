import Testing
@testable import RenumSecurity

@Suite struct TokenGeneratorTests {
    @Test func generatesPrefixedRandomTokens() {
        let a = TokenGenerator.generate(), b = TokenGenerator.generate()
        #expect(a.hasPrefix("rnm_"))
        #expect(a != b)
        #expect(Base64URL.decode(String(a.dropFirst(4)))?.count == 32)
        #expect(TokenGenerator.generate(prefix: "x_", bytes: 16).hasPrefix("x_"))
    }

    @Test func hashIsHexSHA256() {
        #expect(TokenGenerator.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func matchesOnlyTheRightToken() {
        let token = TokenGenerator.generate()
        let stored = TokenGenerator.hash(token)
        #expect(TokenGenerator.matches(token, hash: stored))
        #expect(TokenGenerator.matches(token, hash: stored.uppercased()))
        #expect(!TokenGenerator.matches(token + "x", hash: stored))
        #expect(!TokenGenerator.matches(token, hash: String(stored.dropLast())))
        #expect(!TokenGenerator.matches(token, hash: ""))
    }
}
