import Foundation
import Testing
@testable import RenumSecurity

@Suite struct CredentialVaultTests {
    private let secret = Array("sk-live-abcdef0123456789".utf8)

    private func withVault(_ body: (CredentialVault, KeyRing) throws -> Void) throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let ring = try keyFileRing(in: directory)
        try body(CredentialVault(keyRing: ring), ring)
    }

    /// A blob with the byte at `offset` (from the start, or from the end when negative) flipped.
    private func flipped(_ sealed: SealedSecret, at offset: Int) throws -> SealedSecret {
        var bytes = sealed.bytes
        let index = offset >= 0 ? offset : bytes.count + offset
        bytes[index] ^= 0x01
        return try SealedSecret(bytes: bytes)
    }

    @Test func roundTrip() throws {
        try withVault { vault, ring in
            let context = sampleContext()
            let sealed = try vault.seal(secret, context: context)
            #expect(sealed.keyVersion == ring.currentVersion)
            let reparsed = try SealedSecret(bytes: sealed.bytes)
            #expect(reparsed == sealed)
            #expect(try vault.open(reparsed, context: context) == secret)
            // The plaintext does not appear in the blob.
            #expect(!sealed.bytes.indices.contains { sealed.bytes[$0...].starts(with: secret) })
        }
    }

    @Test func emptyAndLargeSecretsRoundTrip() throws {
        try withVault { vault, _ in
            let context = sampleContext()
            for plaintext in [[], Crypto.randomBytes(100_000)] {
                let sealed = try vault.seal(plaintext, context: context)
                #expect(try vault.open(sealed, context: context) == plaintext)
            }
        }
    }

    @Test func sealingTwiceGivesDifferentBlobs() throws {
        try withVault { vault, _ in
            let context = sampleContext()
            let first = try vault.seal(secret, context: context)
            let second = try vault.seal(secret, context: context)
            #expect(first != second && first.wrappedKey != second.wrappedKey)
        }
    }

    @Test func tamperedBytesAreRejected() throws {
        try withVault { vault, _ in
            let context = sampleContext()
            let sealed = try vault.seal(secret, context: context)
            // wrap nonce, wrapped DEK, wrap tag, data nonce, ciphertext, data tag
            for offset in [5, 17, 48, 49, 64, 65, 77, -17, -1] {
                let tampered = try flipped(sealed, at: offset)
                #expect(vaultErrorCode { try vault.open(tampered, context: context) } == .authenticationFailed,
                        "offset \(offset)")
            }
        }
    }

    @Test func otherContextIsRejected() throws {
        try withVault { vault, _ in
            let context = sampleContext()
            let sealed = try vault.seal(secret, context: context)
            let others = [
                VaultContext(userID: context.userID, recordID: UUID(), purpose: context.purpose),
                VaultContext(userID: UUID(), recordID: context.recordID, purpose: context.purpose),
                VaultContext(userID: context.userID, recordID: context.recordID, purpose: "integration_config"),
                VaultContext(userID: context.recordID, recordID: context.userID, purpose: context.purpose),
            ]
            for other in others {
                #expect(vaultErrorCode { try vault.open(sealed, context: other) } == .authenticationFailed)
                #expect(vaultErrorCode { try vault.rewrap(sealed, context: other) } == .authenticationFailed)
            }
        }
    }

    @Test func purposeTextCannotImitateAnotherContext() {
        let user = UUID(), record = UUID()
        let plain = VaultContext(userID: user, recordID: record, purpose: "a")
        let forged = VaultContext(userID: user, recordID: record, purpose: "a|user=x")
        #expect(plain.associatedData(layer: "data") != forged.associatedData(layer: "data"))
    }

    @Test func blobMovedToAnotherRecordDoesNotOpen() throws {
        try withVault { vault, _ in
            let user = UUID()
            let first = VaultContext(userID: user, recordID: UUID(), purpose: "user_credentials")
            let second = VaultContext(userID: user, recordID: UUID(), purpose: "user_credentials")
            let firstSealed = try vault.seal(Array("first".utf8), context: first)
            let secondSealed = try vault.seal(Array("second".utf8), context: second)
            // Row copy: first record's blob stored in the second record.
            #expect(vaultErrorCode { try vault.open(firstSealed, context: second) } == .authenticationFailed)
            // Splice: second's wrapped key with first's data.
            var spliced = secondSealed.bytes.prefix(65) + firstSealed.bytes.dropFirst(65)
            #expect(vaultErrorCode { try vault.open(SealedSecret(bytes: Array(spliced)), context: first) }
                    == .authenticationFailed)
            spliced = firstSealed.bytes.prefix(65) + secondSealed.bytes.dropFirst(65)
            #expect(vaultErrorCode { try vault.open(SealedSecret(bytes: Array(spliced)), context: first) }
                    == .authenticationFailed)
        }
    }

    @Test func editedKeyVersionIsRejected() throws {
        try withVault { vault, ring in
            let context = sampleContext()
            let sealed = try vault.seal(secret, context: context)
            try ring.rotate()
            // Version 1 relabelled as 2: the wrap's AAD no longer matches.
            var bytes = sealed.bytes
            bytes[4] = 2
            #expect(vaultErrorCode { try vault.open(SealedSecret(bytes: bytes), context: context) }
                    == .authenticationFailed)
            // A version the ring never had.
            bytes[1] = 0x7F
            #expect(vaultErrorCode { try vault.open(SealedSecret(bytes: bytes), context: context) }
                    == .unknownKeyVersion)
        }
    }

    @Test func blobFromAnotherKeyRingDoesNotOpen() throws {
        let context = sampleContext()
        let sealed = try {
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            return try CredentialVault(keyRing: keyFileRing(in: directory)).seal(secret, context: context)
        }()
        try withVault { vault, _ in
            #expect(vaultErrorCode { try vault.open(sealed, context: context) } == .authenticationFailed)
        }
    }

    @Test func rotationKeepsOldSecretsAndRewrapMovesThem() throws {
        try withVault { vault, ring in
            let context = sampleContext()
            let old = try vault.seal(secret, context: context)
            #expect(old.keyVersion == 1)
            #expect(try ring.rotate() == 2)
            #expect(ring.currentVersion == 2)
            let new = try vault.seal(secret, context: context)
            #expect(new.keyVersion == 2)
            #expect(try vault.open(old, context: context) == secret)
            #expect(try vault.open(new, context: context) == secret)

            let moved = try vault.rewrap(old, context: context)
            #expect(moved.keyVersion == 2)
            #expect(moved.ciphertext == old.ciphertext && moved.dataNonce == old.dataNonce
                    && moved.dataTag == old.dataTag)
            #expect(moved.wrappedKey != old.wrappedKey)
            #expect(try vault.open(moved, context: context) == secret)
            // Already current: unchanged.
            #expect(try vault.rewrap(moved, context: context) == moved)
        }
    }

    @Test func rewrapRefusesATamperedCiphertext() throws {
        try withVault { vault, ring in
            let context = sampleContext()
            let sealed = try vault.seal(secret, context: context)
            try ring.rotate()
            #expect(vaultErrorCode { try vault.rewrap(flipped(sealed, at: 80), context: context) }
                    == .authenticationFailed)
        }
    }
}

@Suite struct SealedSecretTests {
    @Test func garbageAndTruncatedBlobsAreMalformed() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let vault = CredentialVault(keyRing: try keyFileRing(in: directory))
        let valid = try vault.seal(Array("x".utf8), context: sampleContext()).bytes

        #expect(vaultErrorCode { try SealedSecret(bytes: []) } == .malformed)
        #expect(vaultErrorCode { try SealedSecret(bytes: [1]) } == .malformed)
        for length in 0..<SealedSecret.minimumLength {
            #expect(vaultErrorCode { try SealedSecret(bytes: Array(valid.prefix(length))) } == .malformed)
        }
        var wrongFormat = valid
        wrongFormat[0] = 2
        #expect(vaultErrorCode { try SealedSecret(bytes: wrongFormat) } == .malformed)
        var versionZero = valid
        versionZero.replaceSubrange(1...4, with: [0, 0, 0, 0])
        #expect(vaultErrorCode { try SealedSecret(bytes: versionZero) } == .malformed)
        // Random bytes: either malformed or, if they happen to parse, they do not open.
        for length in [0, 1, 50, 92, 93, 94, 200] {
            for _ in 0..<20 {
                var bytes = Crypto.randomBytes(length)
                if !bytes.isEmpty && Bool.random() { bytes[0] = 1 }
                do {
                    let parsed = try SealedSecret(bytes: bytes)
                    let code = vaultErrorCode { try vault.open(parsed, context: sampleContext()) }
                    #expect(code == .authenticationFailed || code == .unknownKeyVersion)
                } catch {
                    #expect(error.code == .malformed)
                }
            }
        }
    }

    @Test func minimumBlobIsAnEmptySecret() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let vault = CredentialVault(keyRing: try keyFileRing(in: directory))
        let context = sampleContext()
        let sealed = try vault.seal([], context: context)
        #expect(sealed.bytes.count == SealedSecret.minimumLength)
        #expect(SealedSecret.minimumLength == 93)
        #expect(try vault.open(SealedSecret(bytes: sealed.bytes), context: context) == [])
    }

    @Test func keyVersionIsBigEndianAfterTheFormatByte() throws {
        var bytes = [UInt8](repeating: 0, count: SealedSecret.minimumLength)
        bytes[0] = 1
        bytes.replaceSubrange(1...4, with: [0x01, 0x02, 0x03, 0x04])
        let sealed = try SealedSecret(bytes: bytes)
        #expect(sealed.keyVersion == 0x0102_0304)
        #expect(sealed.bytes == bytes)
    }
}
