import Foundation
import Synchronization

/// The versioned key-encryption keys (KEKs) of the credentials vault.
///
/// The current version wraps new data keys; every version the ring holds can still
/// unwrap old ones. Versions are `UInt32`, starting at 1, and only ever grow.
///
/// Where the keys live — exactly one of two sources, chosen by `RENUM_MASTER_KEY`:
/// - **Environment** (`RENUM_MASTER_KEY` set to standard base64 of 32 bytes): version 1
///   is that key, version N ≥ 2 is HKDF-SHA256(key, info: "renum-kek-vN"), so the one
///   secret in the environment opens every version. Only the current version number is
///   stored, in `<dataDir>/keyring.json` as `{"current":N}` (absent means 1).
/// - **Key file** (variable unset): `<dataDir>/master.key` holds the whole ring as JSON,
///   `{"current":2,"keys":{"1":"<base64>","2":"<base64>"}}`, each key random. It is
///   created on first start (`generated == true`, so the caller can warn that losing the
///   file loses every secret) and rotation adds a fresh random key.
///
/// Both files are written atomically (temporary file, fsync, rename) with mode 0600, and
/// `rotate()` persists the new version before any secret can be sealed under it.
/// Mixing the sources is refused rather than guessed at: `master.key` present with the
/// variable set, or `keyring.json` present without it, is a `.keySource` error, because
/// either way secrets sealed under the other source would silently stop opening.
///
/// In environment mode, rotation limits how much data one KEK protects but derives from
/// the same secret, so it is no remedy for a leaked `RENUM_MASTER_KEY`; replacing that
/// needs every secret re-sealed under a new key, which this type does not do.
public final class KeyRing: Sendable {
    /// The environment variable holding the base64 master key.
    public static let environmentVariable = "RENUM_MASTER_KEY"
    /// The key file name in the data directory (key-file mode).
    public static let keyFileName = "master.key"
    /// The current-version file name in the data directory (environment mode).
    public static let stateFileName = "keyring.json"

    private enum Source: Sendable {
        case keyFile(path: String)
        case environment(master: MasterKey, statePath: String, directory: String)
    }

    private struct State: Sendable {
        var current: UInt32
        /// Every version's key in key-file mode; empty in environment mode (keys are derived).
        var keys: [UInt32: MasterKey]
    }

    private let source: Source
    private let state: Mutex<State>

    private init(source: Source, state: State) {
        self.source = source
        self.state = Mutex(state)
    }

    /// Loads the ring for `dataDirectory` from `environment` (normally the process
    /// environment) and the files described above, creating the key file on first start.
    ///
    /// `generated` is true when a new key file was just created: the caller should log
    /// a warning that it must be backed up. Throws `.keySource` for a malformed
    /// `RENUM_MASTER_KEY` (including an empty one) or mixed sources, `.malformed` for
    /// unreadable key files, and `.io` for file system failures.
    public static func load(dataDirectory: String,
                            environment: [String: String]) throws(VaultError) -> (KeyRing, generated: Bool) {
        let keyPath = (dataDirectory as NSString).appendingPathComponent(keyFileName)
        let statePath = (dataDirectory as NSString).appendingPathComponent(stateFileName)

        if let encoded = environment[environmentVariable] {
            let master: MasterKey
            do {
                master = try MasterKey(base64: encoded)
            } catch {
                throw VaultError(.keySource, "\(environmentVariable) must be standard base64 of exactly 32 bytes "
                                 + "(e.g. `openssl rand -base64 32`): \(error.message)")
            }
            guard !SecretFile.exists(keyPath) else {
                throw VaultError(.keySource, "\(environmentVariable) is set but \(keyPath) also exists; secrets "
                                 + "sealed under that file would not open. Unset the variable, or remove the "
                                 + "file if nothing was ever sealed with it")
            }
            var current: UInt32 = 1
            if var contents = try SecretFile.read(statePath) {
                defer { OpenSSL.cleanse(&contents) }
                guard let decoded = try? JSONDecoder().decode(StateFile.self, from: Data(contents)),
                      decoded.current >= 1 else {
                    throw VaultError(.malformed, "\(statePath) is not {\"current\": <version ≥ 1>}")
                }
                current = decoded.current
            }
            let source = Source.environment(master: master, statePath: statePath, directory: dataDirectory)
            return (KeyRing(source: source, state: State(current: current, keys: [:])), false)
        }

        guard !SecretFile.exists(statePath) else {
            throw VaultError(.keySource, "\(statePath) exists, so keys come from \(environmentVariable), "
                             + "but the variable is not set")
        }
        if let state = try readKeyFile(keyPath) {
            return (KeyRing(source: .keyFile(path: keyPath), state: state), false)
        }
        try SecretFile.ensureDirectory(dataDirectory)
        let fresh = State(current: 1, keys: [1: MasterKey.generate()])
        var encoded = encodeKeyFile(fresh)
        defer { OpenSSL.cleanse(&encoded) }
        if try SecretFile.writeAtomically(encoded, to: keyPath, exclusive: true) {
            return (KeyRing(source: .keyFile(path: keyPath), state: fresh), true)
        }
        // Another process created the file between our read and our write: use theirs.
        guard let state = try readKeyFile(keyPath) else {
            throw VaultError(.io, "\(keyPath) vanished while being created")
        }
        return (KeyRing(source: .keyFile(path: keyPath), state: state), false)
    }

    /// The version new secrets are sealed under.
    public var currentVersion: UInt32 {
        state.withLock { $0.current }
    }

    /// Every version this ring can open, ascending.
    public var versions: [UInt32] {
        state.withLock { state in
            switch source {
            case .keyFile: state.keys.keys.sorted()
            case .environment: Array(1...state.current)
            }
        }
    }

    /// Adds a new version, persists it, makes it current and returns its number.
    ///
    /// The file is written before the in-memory ring changes, so a crash or an I/O
    /// error can never leave secrets sealed under a version that was not saved.
    @discardableResult
    public func rotate() throws(VaultError) -> UInt32 {
        try state.withLock { (state: inout State) throws(VaultError) -> UInt32 in
            guard state.current < UInt32.max else {
                throw VaultError(.keySource, "key version space exhausted")
            }
            let next = state.current + 1
            switch source {
            case .keyFile(let path):
                var updated = state
                updated.current = next
                updated.keys[next] = MasterKey.generate()
                var encoded = Self.encodeKeyFile(updated)
                defer { OpenSSL.cleanse(&encoded) }
                try SecretFile.writeAtomically(encoded, to: path, exclusive: false)
                state = updated
            case .environment(_, let statePath, let directory):
                try SecretFile.ensureDirectory(directory)
                let encoded = Array(try! JSONEncoder().encode(StateFile(current: next)))
                try SecretFile.writeAtomically(encoded, to: statePath, exclusive: false)
                state.current = next
            }
            return next
        }
    }

    /// The current version and its KEK, read together so a concurrent rotation cannot split them.
    func currentKey() -> (version: UInt32, key: MasterKey) {
        state.withLock { state in
            // The current version is always present: load and rotate both guarantee it.
            (state.current, try! Self.key(version: state.current, in: state, source: source))
        }
    }

    /// The KEK for `version`; `.unknownKeyVersion` when the ring does not hold it.
    func key(version: UInt32) throws(VaultError) -> MasterKey {
        try state.withLock { (state: inout State) throws(VaultError) -> MasterKey in
            try Self.key(version: version, in: state, source: source)
        }
    }

    private static func key(version: UInt32, in state: State, source: Source) throws(VaultError) -> MasterKey {
        switch source {
        case .keyFile:
            if let key = state.keys[version] { return key }
        case .environment(let master, _, _):
            // Versions past the stored current one were never issued: deriving them
            // would accept blobs whose version field was edited upward.
            if version >= 1 && version <= state.current { return master.derivedKEK(version: version) }
        }
        throw VaultError(.unknownKeyVersion, "no key-encryption key for version \(version)")
    }

    // MARK: Files

    /// `keyring.json` in environment mode.
    private struct StateFile: Codable {
        let current: UInt32
    }

    /// `master.key` in key-file mode: version numbers (decimal strings) to base64 keys.
    private struct KeyFile: Codable {
        let current: UInt32
        let keys: [String: String]
    }

    private static func readKeyFile(_ path: String) throws(VaultError) -> State? {
        guard var contents = try SecretFile.read(path) else { return nil }
        defer { OpenSSL.cleanse(&contents) }
        let malformed = VaultError(.malformed, "\(path) is not a Renum key file "
                                   + "({\"current\": N, \"keys\": {\"N\": \"<base64 of 32 bytes>\"}})")
        guard let file = try? JSONDecoder().decode(KeyFile.self, from: Data(contents)) else { throw malformed }
        var keys: [UInt32: MasterKey] = [:]
        for (name, encoded) in file.keys {
            // Canonical decimal only, so "01" and "1" cannot name the same version twice.
            guard let version = UInt32(name), version >= 1, String(version) == name,
                  let key = try? MasterKey(base64: encoded) else { throw malformed }
            keys[version] = key
        }
        guard keys[file.current] != nil, keys.keys.allSatisfy({ $0 <= file.current }) else { throw malformed }
        return State(current: file.current, keys: keys)
    }

    private static func encodeKeyFile(_ state: State) -> [UInt8] {
        var keys: [String: String] = [:]
        for (version, key) in state.keys { keys[String(version)] = key.base64 }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Integers and strings always encode.
        return Array(try! encoder.encode(KeyFile(current: state.current, keys: keys)))
    }
}
