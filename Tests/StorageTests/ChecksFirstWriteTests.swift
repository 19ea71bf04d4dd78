import Foundation
import Synchronization
import Testing
@testable import RenumStorage

/// `.checksFirst` writes skip the savepoint; a refusal must still leave no trace, and a write that
/// breaks its promise must not leave half of itself committed.
@Suite("Writes without a savepoint")
struct ChecksFirstWriteTests {
    struct Refused: Error {}

    /// Enqueues writes back to back (so they share batches) and collects each one's outcome by index.
    private func run(_ store: SQLiteStore, _ bodies: [@Sendable (any SQLConnection) throws -> Void]) async -> [Bool] {
        let outcomes = Mutex<[Int: Bool]>([:])
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let remaining = Atomic<Int>(bodies.count)
            for (index, body) in bodies.enumerated() {
                store.write(body, isolation: .checksFirst) { result in
                    outcomes.withLock { if case .success = result { $0[index] = true } else { $0[index] = false } }
                    if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { done.resume() }
                }
            }
        }
        return outcomes.withLock { table in (0..<bodies.count).map { table[$0] ?? false } }
    }

    private func values(_ store: SQLiteStore) throws -> Set<String> {
        try store.read { db in Set(try db.query("SELECT value FROM scratch").map { try $0.string("value") }) }
    }

    @Test func aRefusalBeforeAnyChangeLeavesTheRestOfTheBatchCommitted() async throws {
        try await withDatabasePath { path in
            let store = try openStore(path)
            var bodies: [@Sendable (any SQLConnection) throws -> Void] = []
            for index in 0..<50 {
                bodies.append { db in
                    if index % 5 == 0 { throw Refused() }
                    try db.execute("INSERT INTO scratch (value) VALUES (?)", [.text("v\(index)")])
                }
            }
            let outcomes = await run(store, bodies)
            #expect(outcomes.enumerated().allSatisfy { $0.element == ($0.offset % 5 != 0) })
            #expect(try values(store) == Set((0..<50).filter { $0 % 5 != 0 }.map { "v\($0)" }))
            await store.close()
        }
    }

    @Test func aFailureAfterAChangeCommitsNothingOfThatWrite() async throws {
        try await withDatabasePath { path in
            let store = try openStore(path)
            var bodies: [@Sendable (any SQLConnection) throws -> Void] = []
            for index in 0..<30 {
                bodies.append { db in
                    try db.execute("INSERT INTO scratch (value) VALUES (?)", [.text("v\(index)")])
                    if index == 10 { throw Refused() }  // broke the promise: a change, then a throw
                    try db.execute("INSERT INTO scratch (value) VALUES (?)", [.text("w\(index)")])
                }
            }
            let outcomes = await run(store, bodies)
            let stored = try values(store)
            #expect(!outcomes[10])
            #expect(!stored.contains("v10"))
            // Every other write is all or nothing, whatever batch it shared with the broken one.
            for index in 0..<30 where index != 10 {
                #expect(stored.contains("v\(index)") == outcomes[index])
                #expect(stored.contains("w\(index)") == outcomes[index])
            }
            // The store still works.
            try await store.write { db in try db.execute("INSERT INTO scratch (value) VALUES ('after')", []) }
            #expect(try values(store).contains("after"))
            await store.close()
        }
    }
}
