import Foundation
import Synchronization
import Testing
@testable import RenumStorage

@Suite("Pipelined WAL sync")
struct WALSyncerTests {
    final class SyncCount: Sendable {
        let value = Atomic<Int>(0)
    }

    private func open(_ path: String, _ synchronous: SQLiteConfiguration.Synchronous, _ syncs: SyncCount) throws -> SQLiteStore {
        var config = SQLiteConfiguration(path: path)
        config.synchronous = synchronous
        config.onWALSynced = { _ in syncs.value.add(1, ordering: .relaxed) }
        return try SQLiteStore(config, migrations: Schema.migrations + [scratchMigration])
    }

    @Test func withFullEveryAcknowledgedWriteFollowsAWALSync() async throws {
        try await withDatabasePath { path in
            let syncs = SyncCount()
            let store = try open(path, .full, syncs)
            for index in 0..<20 {
                let before = syncs.value.load(ordering: .relaxed)
                try await store.write { db in
                    _ = try db.execute("INSERT INTO scratch (value) VALUES (?)", [.text("v\(index)")])
                }
                #expect(syncs.value.load(ordering: .relaxed) > before, "write \(index) returned before a sync")
            }
            await store.close()
            // Everything acknowledged is there after a reopen.
            let reopened = try open(path, .full, SyncCount())
            #expect(try reopened.read { db in try db.queryFirst("SELECT COUNT(*) AS n FROM scratch")?.int("n") } == 20)
            await reopened.close()
        }
    }

    @Test func withNormalNothingWaitsForASync() async throws {
        try await withDatabasePath { path in
            let syncs = SyncCount()
            let store = try open(path, .normal, syncs)
            try await store.write { db in _ = try db.execute("INSERT INTO scratch (value) VALUES ('x')", []) }
            #expect(syncs.value.load(ordering: .relaxed) == 0)
            await store.close()
        }
    }
}
