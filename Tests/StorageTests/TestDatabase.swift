import Foundation
import Synchronization
@testable import RenumStorage

/// A scratch table for store tests, on top of the real schema.
let scratchMigration = Migration(version: 1000, name: "test scratch table", sql: [
    "CREATE TABLE scratch (id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE)",
])

/// Runs `body` with a database path in a fresh temporary directory (whose `db/` subdirectory
/// does not exist yet), and removes the directory afterwards.
func withDatabasePath(_ body: (String) async throws -> Void) async throws {
    let root = FileManager.default.temporaryDirectory
        .appendingPathComponent("renum-storage-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    try await body(root.appendingPathComponent("db/renum.sqlite").path)
}

/// Opens a store at `path` with the scratch table and fast, test-friendly settings.
func openStore(_ path: String, readers: Int = 4, maxBatch: Int = 256,
               onBatch: (@Sendable (Int) -> Void)? = nil) throws -> SQLiteStore {
    var config = SQLiteConfiguration(path: path)
    config.readerCount = readers
    config.maxBatch = maxBatch
    if let onBatch {
        config.onBatchCommitted = { (batch: CommittedBatch) in onBatch(batch.writes) }
    }
    return try SQLiteStore(config, migrations: Schema.migrations + [scratchMigration])
}

/// Records the size of every committed batch.
final class BatchLog: Sendable {
    private let sizes = Mutex<[Int]>([])
    var all: [Int] { sizes.withLock { $0 } }
    var hook: @Sendable (Int) -> Void { { [self] n in sizes.withLock { $0.append(n) } } }
}

/// A one-shot gate a write closure can wait on, to hold the writer inside its transaction.
final class Gate: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let held = Mutex(false)
    /// Called by the closure being held (on the writer thread).
    func hold() {
        held.withLock { $0 = true }
        semaphore.wait()
    }
    /// Waits until a closure is held, polling so no executor thread is blocked.
    func waitUntilHeld() async {
        while !held.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(1)) }
    }
    func open() { semaphore.signal() }
}

func scratchCount(_ store: some Store) throws -> Int64 {
    try store.read { db in try db.query("SELECT COUNT(*) AS n FROM scratch")[0].int("n") }
}

func storageCode(_ body: () async throws -> Void) async -> StorageError.Code? {
    do {
        try await body()
        return nil
    } catch let error as StorageError {
        return error.code
    } catch {
        return .other
    }
}
