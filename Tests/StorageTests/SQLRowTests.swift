import Foundation
import Testing
@testable import RenumStorage

@Suite struct SQLRowTests {
    @Test func valuesRoundTripThroughSQLite() async throws {
        try await withDatabasePath { path in
            let store = try openStore(path)
            let id = UUID()
            let row = try store.read { db in
                try db.query("SELECT ? AS t, ? AS e, ? AS i, ? AS r, ? AS b, ? AS z, ? AS n, ? AS u, 1 AS yes, 0 AS no",
                             [.text("héllo"), .text(""), .integer(-42), .real(1.5), .blob([0, 1, 255]), .blob([]),
                              .null, .text(id.uuidString.lowercased())])[0]
            }
            #expect(try row.string("t") == "héllo")
            #expect(try row.string("e") == "")
            #expect(try row.int("i") == -42)
            #expect(try row.double("r") == 1.5)
            #expect(try row.double("i") == -42)
            #expect(row.blob("b") == [0, 1, 255])
            #expect(row.blob("z") == [])
            #expect(row["n"] == .null)
            #expect(row["missing"] == .null)
            #expect(row.optionalString("n") == nil)
            #expect(row.optionalInt("i") == -42)
            #expect(try row.uuid("u") == id)
            #expect(try row.bool("yes"))
            #expect(try !row.bool("no"))
            #expect(throws: StorageError.self) { try row.string("n") }
            #expect(throws: StorageError.self) { try row.int("t") }
            #expect(throws: StorageError.self) { try row.bool("i") }
            #expect(throws: StorageError.self) { try row.uuid("t") }
            do throws(StorageError) {
                _ = try row.int("missing")
                Issue.record("expected a decoding error")
            } catch {
                #expect(error.code == .decoding)
            }
            await store.close()
        }
    }
}
