import Foundation
import RenumCore
import Testing
@testable import RenumStorage

@Suite struct IntegrationRepositoryTests {
    let alice = Principal(userID: UUID(), isAdmin: false, email: "a@example.com")
    let bob = Principal(userID: UUID(), isAdmin: true, email: "b@example.com")

    private func withRepository(_ body: (IntegrationRepository, SQLiteStore) async throws -> Void) async throws {
        try await withDatabasePath { path in
            let store = try openStore(path)
            try await body(IntegrationRepository(store: store), store)
            await store.close()
        }
    }

    @Test func createStoresTheOwnerAndUTCTimestamps() async throws {
        try await withRepository { repo, store in
            let created = try await repo.create(
                NewIntegration(name: "Shop bot", type: "telegram", config: #"{"chat":1}"#, rateLimitPerMinute: 30,
                               tokenHash: "hash-1"), for: alice)
            #expect(created.userID == alice.userID)
            #expect(created.status == "active")
            #expect(created.lastUsedAt == nil)
            #expect(created.createdAt == created.updatedAt)
            #expect(created.createdAt.count == 24 && created.createdAt.hasSuffix("Z"))
            #expect(Timestamp.parse(created.createdAt) != nil)
            #expect(try repo.find(created.id, for: alice) == created)
            let stored = try store.read { db in
                try db.query("SELECT id, user_id, token_hash FROM integrations")[0]
            }
            #expect(try stored.string("id") == created.id.uuidString.lowercased())
            #expect(try stored.string("user_id") == alice.userID.uuidString.lowercased())
            #expect(stored.optionalString("token_hash") == "hash-1")
        }
    }

    @Test func listAndCountShowOnlyTheOwnersRowsNewestFirst() async throws {
        try await withRepository { repo, _ in
            var mine: [IntegrationRecord] = []
            for i in 0..<3 {
                mine.append(try await repo.create(NewIntegration(name: "a\(i)", type: "generic"), for: alice))
                try await Task.sleep(for: .milliseconds(3))
            }
            _ = try await repo.create(NewIntegration(name: "b0", type: "zapier"), for: bob)
            #expect(try repo.count(for: alice) == 3)
            #expect(try repo.count(for: bob) == 1)
            #expect(try repo.list(for: alice, limit: 10, offset: 0).map(\.name) == ["a2", "a1", "a0"])
            #expect(try repo.list(for: alice, limit: 2, offset: 1).map(\.name) == ["a1", "a0"])
            #expect(try repo.list(for: bob, limit: 10, offset: 0).map(\.name) == ["b0"])
            let stranger = Principal(userID: UUID(), isAdmin: false)
            #expect(try repo.list(for: stranger, limit: 10, offset: 0).isEmpty)
            #expect(try repo.count(for: stranger) == 0)
        }
    }

    @Test func anotherUserCannotFindUpdateOrDelete() async throws {
        try await withRepository { repo, _ in
            let record = try await repo.create(NewIntegration(name: "mine", type: "n8n"), for: alice)
            // Bob is an admin: the tenant API still gives him nothing of Alice's.
            #expect(try repo.find(record.id, for: bob) == nil)
            #expect(try await repo.update(record.id, IntegrationChanges(name: "stolen"), for: bob) == nil)
            #expect(try await repo.delete(record.id, for: bob) == false)
            #expect(try repo.find(record.id, for: alice) == record)
        }
    }

    @Test func updateChangesOnlyGivenFieldsAndBumpsUpdatedAt() async throws {
        try await withRepository { repo, _ in
            let record = try await repo.create(NewIntegration(name: "n", type: "make", config: "{}"), for: alice)
            try await Task.sleep(for: .milliseconds(5))
            let updated = try #require(try await repo.update(
                record.id, IntegrationChanges(status: "inactive", rateLimitPerMinute: 10), for: alice))
            #expect(updated.name == "n")
            #expect(updated.type == "make")
            #expect(updated.status == "inactive")
            #expect(updated.rateLimitPerMinute == 10)
            #expect(updated.createdAt == record.createdAt)
            #expect(updated.updatedAt > record.updatedAt)
            #expect(try repo.find(record.id, for: alice) == updated)
            #expect(try await repo.update(UUID(), IntegrationChanges(name: "x"), for: alice) == nil)
        }
    }

    @Test func deleteRemovesOnlyTheOwnersRow() async throws {
        try await withRepository { repo, _ in
            let record = try await repo.create(NewIntegration(name: "gone", type: "whatsapp"), for: alice)
            #expect(try await repo.delete(record.id, for: alice))
            #expect(try repo.find(record.id, for: alice) == nil)
            #expect(try await repo.delete(record.id, for: alice) == false)
        }
    }

    @Test func invalidTypeOrStatusIsAConstraintError() async throws {
        try await withRepository { repo, _ in
            let badType = await storageCode { _ = try await repo.create(NewIntegration(name: "x", type: "fax"), for: alice) }
            #expect(badType == .constraint)
            let record = try await repo.create(NewIntegration(name: "x", type: "generic"), for: alice)
            let badStatus = await storageCode { _ = try await repo.update(record.id, IntegrationChanges(status: "gone"), for: alice) }
            #expect(badStatus == .constraint)
            #expect(try repo.find(record.id, for: alice)?.status == "active")
        }
    }
}
