import Testing
@testable import RenumSecurity

@Suite struct EncodingTests {
    @Test func base64URLKnownVectors() {
        // RFC 4648 §10 vectors, without padding.
        let vectors: [(String, String)] = [("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"),
                                           ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy")]
        for (plain, encoded) in vectors {
            #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
            #expect(Base64URL.decode(encoded) == Array(plain.utf8))
        }
    }

    @Test func base64URLUsesURLAlphabet() {
        #expect(Base64URL.encode([0xfb, 0xff, 0xbf]) == "-_-_")
        #expect(Base64URL.decode("-_-_") == [0xfb, 0xff, 0xbf])
    }

    @Test func base64URLRoundTripsAllLengths() {
        for length in 0..<70 {
            let bytes = Crypto.randomBytes(length)
            let text = Base64URL.encode(bytes)
            #expect(!text.contains("="))
            #expect(Base64URL.decode(text) == bytes)
        }
        let all = (0...255).map { UInt8($0) }
        #expect(Base64URL.decode(Base64URL.encode(all)) == all)
    }

    @Test func base64URLAcceptsPadding() {
        #expect(Base64URL.decode("Zg==") == Array("f".utf8))
        #expect(Base64URL.decode("Zm8=") == Array("fo".utf8))
    }

    @Test func base64URLRejectsInvalidInput() {
        #expect(Base64URL.decode("+/+/") == nil)          // standard alphabet
        #expect(Base64URL.decode("Zm9v!") == nil)
        #expect(Base64URL.decode("Zm 9v") == nil)
        #expect(Base64URL.decode("Zm9vY") == nil)         // 1 leftover char
        #expect(Base64URL.decode("Zg=") == nil)           // padding short of the quantum
        #expect(Base64URL.decode("Zg===") == nil)
        #expect(Base64URL.decode("Z=g=") == nil)          // padding in the middle
        #expect(Base64URL.decode("é") == nil)
    }

    @Test func hexRoundTripAndRejects() {
        #expect(Hex.encode([0x00, 0x0f, 0xab, 0xff]) == "000fabff")
        #expect(Hex.decode("000fABff") == [0x00, 0x0f, 0xab, 0xff])
        #expect(Hex.decode("") == [])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
    }
}
