import Foundation
import Testing
@testable import RenumStorage

@Suite struct SQLiteStoreTests {
    @Test func migrationsApplyOnceAndAreIdempotentOnReopen() async throws {
        try await withDatabasePath { path in
            let first = try openStore(path)
            let applied = try first.read { db in
                try db.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
            }
            #expect(try applied.map { try $0.int("version") } == Schema.migrations.map { Int64($0.version) } + [1000])
            #expect(try applied[0].string("name") == "initial schema")
            let appliedAt = try applied[0].string("applied_at")
            await first.close()

            let extra = Migration(version: 1001, name: "add note", sql: ["ALTER TABLE scratch ADD COLUMN note TEXT"])
            var config = SQLiteConfiguration(path: path)
            config.readerCount = 1
            let second = try SQLiteStore(config, migrations: Schema.migrations + [scratchMigration, extra])
            await second.close()
            let third = try SQLiteStore(config, migrations: Schema.migrations + [scratchMigration, extra])
            let rows = try third.read { db in try db.query("SELECT version, applied_at FROM schema_migrations ORDER BY version") }
            #expect(try rows.map { try $0.int("version") } == Schema.migrations.map { Int64($0.version) } + [1000, 1001])
            #expect(try rows[0].string("applied_at") == appliedAt)
            let tables = try third.read { db in
                try db.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").compactMap { $0.optionalString("name") }
            }
            for table in ["agents_registry", "integrations", "webhook_logs", "jobs", "multi_agent_executions",
                          "agent_execution_steps", "user_credentials", "feature_toggles",
                          "integration_analytics", "audit_log", "schema_migrations"] {
                #expect(tables.contains(table), "missing table \(table)")
            }
            await third.close()
        }
    }

    @Test func aFailingMigrationRollsBackAndIsNotRecorded() async throws {
        try await withDatabasePath { path in
            let broken = Migration(version: 2000, name: "broken", sql: [
                "CREATE TABLE half (id INTEGER PRIMARY KEY)",
                "THIS IS NOT SQL",
            ])
            #expect(throws: StorageError.self) {
                _ = try SQLiteStore(SQLiteConfiguration(path: path), migrations: Schema.migrations + [broken])
            }
            let store = try openStore(path)
            let found = try store.read { db in
                (try db.query("SELECT name FROM sqlite_master WHERE name = 'half'").count,
                 try db.query("SELECT version FROM schema_migrations WHERE version = 2000").count)
            }
            #expect(found == (0, 0))
            await store.close()
        }
    }

    @Test func walModeForeignKeysAndReadersAreQueryOnly() async throws {
        try await withDatabasePath { path in
            let store = try openStore(path)
            let (mode, foreignKeys) = try store.read { db in
                (try db.query("PRAGMA journal_mode")[0].string("journal_mode"),
                 try db.query("PRAGMA foreign_keys")[0].int("foreign_keys"))
            }
            #expect(mode == "wal")
            #expect(foreignKeys == 1)
            let writerMode = try await store.write { db in try db.query("PRAGMA journal_mode")[0].string("journal_mode") }
            #expect(writerMode == "wal")
            let code = await storageCode {
                _ = try store.read { db in try db.execute("INSERT INTO scratch (value) VALUES ('x')", []) }
            }
            #expect(code == .misuse)
            #expect(try scratchCount(store) == 0)
            try store.ping()
            await store.close()
        }
    }

    @Test func concurrentWritesAreGroupCommitted() async throws {
        try await withDatabasePath { path in
            let log = BatchLog()
            let store = try openStore(path, onBatch: log.hook)
            let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
                for i in 0..<200 {
                    group.addTask {
                        try await store.write { db in
                            try db.execute("INSERT INTO scratch (value) VALUES (?)", [.text("row \(i)")])
                            return try db.query("SELECT id FROM scratch WHERE value = ?", [.text("row \(i)")])[0].int("id")
                        }
                    }
                }
                return try await group.reduce(into: Set<Int64>()) { $0.insert($1) }
            }
            #expect(ids.count == 200)
            #expect(log.all.reduce(0, +) == 200)
            #expect(log.all.count < 200, "commits: \(log.all.count)")
            #expect(log.all.max() ?? 0 > 1)
            #expect(try scratchCount(store) == 200)
            await store.close()
        }
    }

    @Test func aFailingWriteRollsBackOnlyItselfWithinItsBatch() async throws {
        struct Refused: Error {}
        try await withDatabasePath { path in
            let log = BatchLog()
            let store = try openStore(path, onBatch: log.hook)
            let gate = Gate()
            // Hold the writer so the next three writes queue up and share one transaction.
            let held = Task { try await store.write { db in gate.hold(); try db.execute("INSERT INTO scratch (value) VALUES ('held')", []) } }
            await gate.waitUntilHeld()
            let a = Task { try await store.write { db in try db.execute("INSERT INTO scratch (value) VALUES ('a')", []) } }
            let b = Task {
                try await store.write { db in
                    try db.execute("INSERT INTO scratch (value) VALUES ('b')", [])
                    throw Refused()
                }
            }
            let dup = Task { try await store.write { db in try db.execute("INSERT INTO scratch (value) VALUES ('a2'), ('a2')", []) } }
            let c = Task { try await store.write { db in try db.execute("INSERT INTO scratch (value) VALUES ('c')", []) } }
            try await Task.sleep(for: .milliseconds(300))
            gate.open()
            _ = try await held.value
            #expect(try await a.value == 1)
            #expect(try await c.value == 1)
            await #expect(throws: Refused.self) { try await b.value }
            let dupCode = await storageCode { _ = try await dup.value }
            #expect(dupCode == .constraint)
            let values = try store.read { db in
                try db.query("SELECT value FROM scratch ORDER BY value").map { try $0.string("value") }
            }
            #expect(values == ["a", "c", "held"])
            #expect(log.all == [1, 4], "batches: \(log.all)")
            await store.close()
        }
    }

    @Test func constraintViolationsMapToConstraint() async throws {
        try await withDatabasePath { path in
            let store = try openStore(path)
            try await store.write { db in try db.execute("INSERT INTO scratch (value) VALUES ('once')", []) }
            let unique = await storageCode {
                _ = try await store.write { db in try db.execute("INSERT INTO scratch (value) VALUES ('once')", []) }
            }
            #expect(unique == .constraint)
            let check = await storageCode {
                _ = try await store.write { db in
                    try db.execute("""
                        INSERT INTO feature_toggles (id, name, enabled, rollout_percentage, created_at, updated_at)
                        VALUES ('x', 'y', 1, 150, 'now', 'now')
                        """, [])
                }
            }
            #expect(check == .constraint)
            let foreignKey = await storageCode {
                _ = try await store.write { db in
                    try db.execute("""
                        INSERT INTO webhook_logs (id, integration_id, user_id, method, outcome, created_at)
                        VALUES ('l', 'no-such-integration', 'u', 'POST', 'ok', 'now')
                        """, [])
                }
            }
            #expect(foreignKey == .constraint)
            let syntax = await storageCode { _ = try await store.write { db in try db.execute("SELEC 1", []) } }
            #expect(syntax == .other)
            let params = await storageCode { _ = try await store.write { db in try db.execute("SELECT ?", []) } }
            #expect(params == .misuse)
            let twoStatements = await storageCode {
                _ = try await store.write { db in try db.execute("SELECT 1; DELETE FROM scratch", []) }
            }
            #expect(twoStatements == .misuse)
            let trailingComment = try await store.write { db in try db.query("SELECT 7 AS n; -- just a note", [])[0].int("n") }
            #expect(trailingComment == 7)
            #expect(try scratchCount(store) == 1)
            await store.close()
        }
    }

    @Test func readsRunWhileTheWriterHoldsATransaction() async throws {
        try await withDatabasePath { path in
            let store = try openStore(path)
            try await store.write { db in try db.execute("INSERT INTO scratch (value) VALUES ('committed')", []) }
            let gate = Gate()
            let pending = Task {
                try await store.write { db in
                    try db.execute("INSERT INTO scratch (value) VALUES ('uncommitted')", [])
                    gate.hold()
                }
            }
            await gate.waitUntilHeld()
            // The writer is inside BEGIN IMMEDIATE with an uncommitted row: readers neither block nor see it.
            #expect(try scratchCount(store) == 1)
            gate.open()
            try await pending.value
            #expect(try scratchCount(store) == 2)
            await store.close()
        }
    }

    @Test func readsAndWritesInterleaveFromManyTasks() async throws {
        try await withDatabasePath { path in
            let store = try openStore(path, readers: 2)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<100 {
                    group.addTask { _ = try await store.write { db in try db.execute("INSERT INTO scratch (value) VALUES (?)", [.text("v\(i)")]) } }
                }
                for _ in 0..<8 {
                    group.addTask {
                        var last: Int64 = 0
                        for _ in 0..<50 {
                            let now = try scratchCount(store)
                            #expect(now >= last)
                            last = now
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try scratchCount(store) == 100)
            await store.close()
        }
    }

    @Test func closeFlushesQueuedWritesAndDataSurvivesReopen() async throws {
        try await withDatabasePath { path in
            let store = try openStore(path)
            let gate = Gate()
            let held = Task { try await store.write { db in gate.hold(); try db.execute("INSERT INTO scratch (value) VALUES ('first')", []) } }
            await gate.waitUntilHeld()
            let queued = (0..<20).map { i in
                Task { try await store.write { db in try db.execute("INSERT INTO scratch (value) VALUES (?)", [.text("q\(i)")]) } }
            }
            try await Task.sleep(for: .milliseconds(200))
            gate.open()
            await store.close()
            _ = try await held.value
            for task in queued { #expect(try await task.value == 1) }

            let closedRead = await storageCode { _ = try scratchCount(store) }
            #expect(closedRead == .closed)
            let closedWrite = await storageCode { _ = try await store.write { db in try db.execute("SELECT 1", []) } }
            #expect(closedWrite == .closed)
            #expect(throws: StorageError.self) { try store.ping() }
            await store.close()  // a second close is harmless

            let reopened = try openStore(path)
            #expect(try scratchCount(reopened) == 21)
            await reopened.close()
        }
    }

    @Test func moreReadersThanConnectionsWaitTheirTurn() async throws {
        try await withDatabasePath { path in
            let store = try openStore(path, readers: 1)
            try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<16 { group.addTask { try scratchCount(store) } }
                for try await n in group { #expect(n == 0) }
            }
            await store.close()
        }
    }
}
