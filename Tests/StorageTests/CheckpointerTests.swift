import Foundation
import Testing
@testable import RenumStorage

@Suite("WAL checkpoints off the writer")
struct CheckpointerTests {
    /// 2,000 rows of 1 KB stay far below the writer's own autocheckpoint (16,384 pages), so only
    /// the checkpointer thread can have copied them into the main database file.
    @Test func committedPagesReachTheMainFileWhileTheStoreIsOpen() async throws {
        try await withDatabasePath { path in
            let store = try openStore(path)
            let before = try fileSize(path)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<2_000 {
                    group.addTask { () async throws -> Void in
                        let value = String(index) + String(repeating: "x", count: 1_000)
                        let changed: Int = try await store.write { db in
                            try db.execute("INSERT INTO scratch (value) VALUES (?)", [.text(value)])
                        }
                        #expect(changed == 1)
                    }
                }
                try await group.waitForAll()
            }
            var grown = try fileSize(path)
            for _ in 0..<1_000 where grown < before + 1_500_000 {
                try await Task.sleep(for: .milliseconds(10))
                grown = try fileSize(path)
            }
            #expect(grown >= before + 1_500_000, "the main file did not receive the committed pages")
            #expect(try store.read { db in try db.queryFirst("SELECT COUNT(*) AS n FROM scratch")?.int("n") } == 2_000)
            await store.close()
        }
    }

    private func fileSize(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }
}
