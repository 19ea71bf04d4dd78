import Testing
@testable import RenumSecurity

/// Known answers from McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)",
/// test cases 13–16 (the 256-bit-key cases with 96-bit IVs).
@Suite struct AESGCMTests {
    private struct Vector {
        let key, nonce, plaintext, aad, ciphertext, tag: String
    }

    private static let key15 = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
    private static let plaintext15 = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
        + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
    private static let ciphertext15 = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
        + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad"

    private static let testCase13 = Vector(
        key: String(repeating: "00", count: 32), nonce: String(repeating: "00", count: 12),
        plaintext: "", aad: "", ciphertext: "", tag: "530f8afbc74536b9a963b4f1c4cb738b")
    private static let testCase14 = Vector(
        key: String(repeating: "00", count: 32), nonce: String(repeating: "00", count: 12),
        plaintext: String(repeating: "00", count: 16), aad: "",
        ciphertext: "cea7403d4d606b6e074ec5d3baf39d18", tag: "d0d1c8a799996bf0265b98b5d48ab919")
    private static let testCase15 = Vector(
        key: key15, nonce: "cafebabefacedbaddecaf888", plaintext: plaintext15, aad: "",
        ciphertext: ciphertext15, tag: "b094dac5d93471bdec1a502270e3cc6c")
    // 60 bytes of the test case 15 plaintext, with AAD; same 12-byte IV.
    private static let testCase16 = Vector(
        key: key15, nonce: "cafebabefacedbaddecaf888", plaintext: String(plaintext15.prefix(120)),
        aad: "feedfacedeadbeeffeedfacedeadbeefabaddad2",
        ciphertext: String(ciphertext15.prefix(120)), tag: "76fc6ece0f4e1768cddf8853bb2d551b")

    private static let all = [testCase13, testCase14, testCase15, testCase16]

    private func bytes(_ hex: String) -> [UInt8] { Hex.decode(hex)! }

    @Test(arguments: all.indices)
    func sealMatchesPublishedVector(index: Int) {
        let vector = Self.all[index]
        let sealed = AESGCM.seal(key: bytes(vector.key), nonce: bytes(vector.nonce),
                                 plaintext: bytes(vector.plaintext), aad: bytes(vector.aad))
        #expect(Hex.encode(sealed.ciphertext) == vector.ciphertext)
        #expect(Hex.encode(sealed.tag) == vector.tag)
    }

    @Test(arguments: all.indices)
    func openRecoversPublishedPlaintext(index: Int) throws {
        let vector = Self.all[index]
        let plaintext = try AESGCM.open(key: bytes(vector.key), nonce: bytes(vector.nonce),
                                        ciphertext: bytes(vector.ciphertext), tag: bytes(vector.tag),
                                        aad: bytes(vector.aad))
        #expect(Hex.encode(plaintext) == vector.plaintext)
    }

    @Test func openRejectsAnyFlippedBit() {
        let vector = Self.testCase16
        let key = bytes(vector.key), nonce = bytes(vector.nonce)
        let ciphertext = bytes(vector.ciphertext), tag = bytes(vector.tag), aad = bytes(vector.aad)
        var cases: [(ciphertext: [UInt8], tag: [UInt8], aad: [UInt8])] = []
        var flipped = ciphertext; flipped[7] ^= 0x01; cases.append((flipped, tag, aad))
        var badTag = tag; badTag[15] ^= 0x80; cases.append((ciphertext, badTag, aad))
        var badAAD = aad; badAAD[0] ^= 0x01; cases.append((ciphertext, tag, badAAD))
        cases.append((ciphertext, tag, []))
        cases.append((Array(ciphertext.dropLast()), tag, aad))
        for item in cases {
            #expect(throws: VaultError(.authenticationFailed, "AES-GCM tag did not verify")) {
                try AESGCM.open(key: key, nonce: nonce, ciphertext: item.ciphertext, tag: item.tag, aad: item.aad)
            }
        }
    }

    @Test func openRejectsWrongNonceOrTagSizeAsMalformed() {
        let key = [UInt8](repeating: 1, count: 32)
        #expect(throws: VaultError.self) { try AESGCM.open(key: key, nonce: [0], ciphertext: [], tag: [], aad: []) }
        do {
            _ = try AESGCM.open(key: key, nonce: [UInt8](repeating: 0, count: 12), ciphertext: [1],
                                tag: [1, 2, 3], aad: [])
            Issue.record("a 3-byte tag was accepted")
        } catch {
            #expect(error.code == .malformed)
        }
    }

    @Test func roundTripWithRandomKey() throws {
        let key = Crypto.randomBytes(32), nonce = Crypto.randomBytes(12)
        let message = Array("sk-live-0123456789".utf8), aad = Array("context".utf8)
        let sealed = AESGCM.seal(key: key, nonce: nonce, plaintext: message, aad: aad)
        #expect(sealed.ciphertext != message && sealed.tag.count == 16)
        #expect(try AESGCM.open(key: key, nonce: nonce, ciphertext: sealed.ciphertext, tag: sealed.tag,
                                aad: aad) == message)
    }
}

/// RFC 5869 test vectors for the HKDF used to derive key-encryption keys.
@Suite struct HKDFTests {
    @Test func rfc5869TestCase1() {
        let okm = HKDF.sha256(inputKey: [UInt8](repeating: 0x0b, count: 22), salt: Hex.decode("000102030405060708090a0b0c")!,
                              info: Hex.decode("f0f1f2f3f4f5f6f7f8f9")!, length: 42)
        #expect(Hex.encode(okm) == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
    }

    @Test func rfc5869TestCase3EmptySaltAndInfo() {
        let okm = HKDF.sha256(inputKey: [UInt8](repeating: 0x0b, count: 22), salt: [], info: [], length: 42)
        #expect(Hex.encode(okm) == "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")
    }
}
