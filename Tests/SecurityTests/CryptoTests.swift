import Testing
@testable import RenumSecurity

@Suite struct CryptoTests {
    private func hmacHex(key: [UInt8], _ message: [UInt8]) -> String {
        Hex.encode(Crypto.hmacSHA256(key: key, message: message))
    }

    @Test func hmacRFC4231Case1() {
        #expect(hmacHex(key: [UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8))
            == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    @Test func hmacRFC4231Case2() {
        #expect(hmacHex(key: Array("Jefe".utf8), Array("what do ya want for nothing?".utf8))
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func hmacRFC4231Case3() {
        #expect(hmacHex(key: [UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50))
            == "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe")
    }

    @Test func hmacRFC4231Case4() {
        #expect(hmacHex(key: Array(1...25), [UInt8](repeating: 0xcd, count: 50))
            == "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b")
    }

    @Test func hmacRFC4231Case6KeyLongerThanBlock() {
        #expect(hmacHex(key: [UInt8](repeating: 0xaa, count: 131),
                        Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
            == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func hmacCheckValue() {
        #expect(hmacHex(key: Array("secret".utf8), Array("test".utf8))
            == "0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914")
    }

    @Test func hmacWithEmptyKeyAndMessage() {
        // Known value of HMAC-SHA256("", ""): empty inputs must not be mistaken for "no key".
        #expect(hmacHex(key: [], [])
            == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test func sha256OfABC() {
        #expect(Hex.encode(Crypto.sha256(Array("abc".utf8)))
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Crypto.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func sha256OfEmpty() {
        #expect(Crypto.sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func randomBytesHaveRequestedLengthAndDiffer() {
        #expect(Crypto.randomBytes(0).isEmpty)
        let a = Crypto.randomBytes(32), b = Crypto.randomBytes(32)
        #expect(a.count == 32 && b.count == 32)
        #expect(a != b)
    }

    @Test func constantTimeEquals() {
        #expect(Crypto.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(Crypto.constantTimeEquals([], []))
        #expect(!Crypto.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!Crypto.constantTimeEquals([9, 2, 3], [1, 2, 3]))
        #expect(!Crypto.constantTimeEquals([1, 2, 3], [1, 2]))
        #expect(!Crypto.constantTimeEquals([1, 2], [1, 2, 3]))
        #expect(!Crypto.constantTimeEquals([], [0]))
    }
}
