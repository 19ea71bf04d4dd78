import Foundation
import RenumCredentials
import RenumObservability
import RenumSecurity
import RenumStorage

/// `renum keys rotate`: adds a key version and re-wraps every stored secret under it.
enum KeysCommand {
    static let specs: [OptionSpec] = [
        OptionSpec(flag: "data-dir", environment: "RENUM_DATA_DIR", valueName: "DIR", defaultText: "./data", help: "the data dir of the server"),
    ]

    static let help = """
    Usage: renum keys rotate [--data-dir DIR]

    Adds a new version to the master key ring (RENUM_MASTER_KEY-derived, or the key file in the
    data dir) and re-wraps every stored credential's data key under it. Stop the server first:
    a running server knows only the key versions it loaded at start, so it could not open
    credentials re-wrapped under the new one until it restarts.

    Options:
    \(ParsedOptions.help(for: specs))
    """

    static func run(arguments: [String], environment: [String: String]) async -> Int32 {
        guard arguments.first == "rotate" else {
            RenumCommand.printError("usage: renum keys rotate [--data-dir DIR]")
            return 2
        }
        do {
            let options = try ParsedOptions(arguments: Array(arguments.dropFirst()), specs: specs, environment: environment)
            let dataDir = options.string("data-dir") ?? "./data"
            let (keyRing, _) = try KeyRing.load(dataDirectory: dataDir, environment: environment)
            let version = try keyRing.rotate()
            let store = try SQLiteStore(SQLiteConfiguration(path: dataDir + "/renum.sqlite3"))
            let service = CredentialService(store: store, vault: CredentialVault(keyRing: keyRing))
            let count = try await service.rewrapAll()
            await store.close()
            print("key version \(version) is current; re-wrapped \(count) credential(s)")
            return 0
        } catch {
            RenumCommand.printError("key rotation failed: \(error)")
            return 1
        }
    }
}
