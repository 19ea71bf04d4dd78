import Foundation
import Testing
@testable import RenumSecurity

@Suite struct KeyRingTests {
    private let variable = KeyRing.environmentVariable

    private func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as! NSNumber).intValue & 0o777
    }

    // MARK: Key file

    @Test func keyFileIsGeneratedWithMode0600AndReused() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (first, generated) = try KeyRing.load(dataDirectory: directory.path, environment: [:])
        #expect(generated)
        #expect(first.currentVersion == 1 && first.versions == [1])
        let keyPath = directory.file(KeyRing.keyFileName)
        #expect(try mode(keyPath) == 0o600)
        let fileBefore = try Data(contentsOf: URL(fileURLWithPath: keyPath))

        let (second, generatedAgain) = try KeyRing.load(dataDirectory: directory.path, environment: [:])
        #expect(!generatedAgain)
        #expect(try second.key(version: 1).bytes == first.key(version: 1).bytes)
        #expect(try Data(contentsOf: URL(fileURLWithPath: keyPath)) == fileBefore)
        // No temporary files left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == [KeyRing.keyFileName])

        // And what one instance sealed, the reloaded one opens.
        let context = sampleContext()
        let sealed = try CredentialVault(keyRing: first).seal([1, 2, 3], context: context)
        #expect(try CredentialVault(keyRing: second).open(sealed, context: context) == [1, 2, 3])
    }

    @Test func missingDataDirectoryIsCreated() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let nested = directory.file("a/b")
        let (_, generated) = try KeyRing.load(dataDirectory: nested, environment: [:])
        #expect(generated)
        #expect(FileManager.default.fileExists(atPath: (nested as NSString).appendingPathComponent("master.key")))
    }

    @Test func rotationInKeyFileModeSurvivesReload() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let ring = try keyFileRing(in: directory)
        let vault = CredentialVault(keyRing: ring)
        let context = sampleContext()
        let v1 = try vault.seal(Array("one".utf8), context: context)
        #expect(try ring.rotate() == 2)
        let v2 = try vault.seal(Array("two".utf8), context: context)
        #expect(try ring.rotate() == 3)
        let v3 = try vault.seal(Array("three".utf8), context: context)
        #expect(try ring.key(version: 3).bytes != ring.key(version: 2).bytes)
        #expect(try mode(directory.file(KeyRing.keyFileName)) == 0o600)

        let (reloaded, generated) = try KeyRing.load(dataDirectory: directory.path, environment: [:])
        #expect(!generated)
        #expect(reloaded.currentVersion == 3 && reloaded.versions == [1, 2, 3])
        let reopened = CredentialVault(keyRing: reloaded)
        #expect(try reopened.open(v1, context: context) == Array("one".utf8))
        #expect(try reopened.open(v2, context: context) == Array("two".utf8))
        #expect(try reopened.open(v3, context: context) == Array("three".utf8))
        #expect(try reopened.seal([], context: context).keyVersion == 3)
    }

    @Test func unknownVersionIsReported() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let ring = try keyFileRing(in: directory)
        #expect(vaultErrorCode { try ring.key(version: 2) } == .unknownKeyVersion)
        #expect(vaultErrorCode { try ring.key(version: 0) } == .unknownKeyVersion)
        #expect(vaultErrorCode { try ring.key(version: .max) } == .unknownKeyVersion)
    }

    @Test(arguments: [
        "", "not json", "{}", #"{"current":1,"keys":{}}"#,
        #"{"current":2,"keys":{"1":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}}"#,
        #"{"current":1,"keys":{"1":"AAAA"}}"#,
        #"{"current":1,"keys":{"01":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}}"#,
        #"{"current":1,"keys":{"0":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}}"#,
        #"{"current":1,"keys":{"1":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","2":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}}"#,
    ])
    func malformedKeyFileIsRefusedNotReplaced(contents: String) throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let keyPath = directory.file(KeyRing.keyFileName)
        try Data(contents.utf8).write(to: URL(fileURLWithPath: keyPath))
        #expect(vaultErrorCode { try KeyRing.load(dataDirectory: directory.path, environment: [:]) } == .malformed)
        #expect(try String(contentsOfFile: keyPath, encoding: .utf8) == contents)
    }

    @Test func errorsNeverContainKeyMaterial() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let key = MasterKey.generate()
        let contents = #"{"current":2,"keys":{"1":"\#(key.base64)"}}"#
        try Data(contents.utf8).write(to: URL(fileURLWithPath: directory.file(KeyRing.keyFileName)))
        do {
            _ = try KeyRing.load(dataDirectory: directory.path, environment: [:])
            Issue.record("accepted a key file whose current version is missing")
        } catch {
            #expect(!error.message.contains(key.base64))
        }
        #expect("\(key)" == "MasterKey(redacted)")
        let short = Data(Crypto.randomBytes(31)).base64EncodedString()
        do {
            _ = try KeyRing.load(dataDirectory: directory.path, environment: [variable: short])
        } catch {
            #expect(!error.message.contains(short))
        }
    }

    // MARK: Environment

    @Test func environmentKeyIsVersionOne() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let key = MasterKey.generate()
        let (ring, generated) = try KeyRing.load(dataDirectory: directory.path,
                                                 environment: [variable: key.base64 + "\n"])
        #expect(!generated)
        #expect(ring.currentVersion == 1)
        #expect(try ring.key(version: 1).bytes == key.bytes)
        #expect(vaultErrorCode { try ring.key(version: 2) } == .unknownKeyVersion)
        // Nothing written until a rotation.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test(arguments: [
        "", "   ", "not base64!!", "c2hvcnQ=",  // "short"
        Data(repeating: 7, count: 31).base64EncodedString(),
        Data(repeating: 7, count: 33).base64EncodedString(),
        Data(repeating: 7, count: 64).base64EncodedString(),
        Base64URL.encode([UInt8](repeating: 0xFF, count: 32)),  // base64url, unpadded
    ])
    func malformedEnvironmentKeyIsAKeySourceError(value: String) throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        do {
            _ = try KeyRing.load(dataDirectory: directory.path, environment: [variable: value])
            Issue.record("accepted RENUM_MASTER_KEY=\(value)")
        } catch {
            #expect(error.code == .keySource)
            #expect(error.message.contains(variable))
        }
        // A bad variable must not fall back to generating a key file.
        #expect(!FileManager.default.fileExists(atPath: directory.file(KeyRing.keyFileName)))
    }

    @Test func environmentRotationDerivesVersionsAndPersistsTheCurrentOne() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let key = MasterKey.generate()
        let environment = [variable: key.base64]
        let ring = try KeyRing.load(dataDirectory: directory.path, environment: environment).0
        let vault = CredentialVault(keyRing: ring)
        let context = sampleContext(purpose: "integration_config")
        let old = try vault.seal(Array("old".utf8), context: context)
        #expect(try ring.rotate() == 2)
        let new = try vault.seal(Array("new".utf8), context: context)
        #expect(new.keyVersion == 2)
        #expect(try ring.key(version: 2).bytes
                == HKDF.sha256(inputKey: key.bytes, info: Array("renum-kek-v2".utf8), length: 32))
        let statePath = directory.file(KeyRing.stateFileName)
        #expect(try mode(statePath) == 0o600)
        #expect(try String(contentsOfFile: statePath, encoding: .utf8) == #"{"current":2}"#)

        // A fresh process with only the environment key and keyring.json opens both.
        let reloaded = try KeyRing.load(dataDirectory: directory.path, environment: environment).0
        #expect(reloaded.currentVersion == 2 && reloaded.versions == [1, 2])
        let reopened = CredentialVault(keyRing: reloaded)
        #expect(try reopened.open(old, context: context) == Array("old".utf8))
        #expect(try reopened.open(new, context: context) == Array("new".utf8))
        let moved = try reopened.rewrap(old, context: context)
        #expect(moved.keyVersion == 2)
        #expect(try reopened.open(moved, context: context) == Array("old".utf8))

        // Another master key opens nothing.
        let other = try KeyRing.load(dataDirectory: directory.path,
                                     environment: [variable: MasterKey.generate().base64]).0
        #expect(vaultErrorCode { try CredentialVault(keyRing: other).open(new, context: context) }
                == .authenticationFailed)
    }

    @Test func mixedSourcesAreRefused() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        // A generated key file, then the variable appears: refuse rather than ignore the file.
        _ = try keyFileRing(in: directory)
        #expect(vaultErrorCode {
            try KeyRing.load(dataDirectory: directory.path, environment: [variable: MasterKey.generate().base64])
        } == .keySource)

        // keyring.json from environment mode, then the variable disappears: refuse rather than generate.
        let other = TemporaryDirectory()
        defer { other.remove() }
        let ring = try KeyRing.load(dataDirectory: other.path,
                                    environment: [variable: MasterKey.generate().base64]).0
        try ring.rotate()
        #expect(vaultErrorCode { try KeyRing.load(dataDirectory: other.path, environment: [:]) } == .keySource)
        #expect(!FileManager.default.fileExists(atPath: other.file(KeyRing.keyFileName)))
    }

    @Test func malformedStateFileIsRefused() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        for contents in ["", "{}", #"{"current":0}"#, #"{"current":-1}"#, #"{"current":"2"}"#] {
            try Data(contents.utf8).write(to: URL(fileURLWithPath: directory.file(KeyRing.stateFileName)))
            #expect(vaultErrorCode {
                try KeyRing.load(dataDirectory: directory.path, environment: [variable: MasterKey.generate().base64])
            } == .malformed, "\(contents)")
        }
    }

    @Test func concurrentSealingDuringRotationAlwaysOpens() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let ring = try keyFileRing(in: directory)
        let vault = CredentialVault(keyRing: ring)
        let context = sampleContext()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { for _ in 0..<5 { try ring.rotate() } }
            for index in 0..<8 {
                group.addTask {
                    for _ in 0..<50 {
                        let plaintext = [UInt8(index)]
                        let sealed = try vault.seal(plaintext, context: context)
                        #expect(try vault.open(sealed, context: context) == plaintext)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(ring.currentVersion == 6)
    }
}
