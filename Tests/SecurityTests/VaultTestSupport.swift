import Foundation
import Testing
@testable import RenumSecurity

/// A fresh directory under the system temp dir, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() {
        path = (NSTemporaryDirectory() as NSString)
            .appendingPathComponent("renum-vault-\(UUID().uuidString.lowercased())")
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// The `VaultError` code `body` throws, or nil when it does not throw.
///
/// Takes an untyped closure because closures passed inline infer `throws(any Error)`;
/// any other error type is recorded as a test failure.
func vaultErrorCode<T>(_ body: () throws -> T) -> VaultError.Code? {
    do {
        _ = try body()
        return nil
    } catch let error as VaultError {
        return error.code
    } catch {
        Issue.record("expected a VaultError, got \(error)")
        return nil
    }
}

/// A key ring in key-file mode in a fresh temporary directory.
func keyFileRing(in directory: TemporaryDirectory) throws -> KeyRing {
    try KeyRing.load(dataDirectory: directory.path, environment: [:]).0
}

func sampleContext(purpose: String = "user_credentials") -> VaultContext {
    VaultContext(userID: UUID(), recordID: UUID(), purpose: purpose)
}
