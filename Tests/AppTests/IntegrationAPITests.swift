import Foundation
import RenumTestSupport
import Testing

@Suite struct IntegrationAPITests {
    @Test func createReadUpdateDelete() async throws {
        let server = try await TestServer()
        let token = server.token()
        let created = try await server.client.sendJSON("POST", "/api/v1/integrations", token: token,
                                                       json: ["name": "Support bot", "type": "telegram",
                                                              "config": ["bot_token": "123:secret-bot-token", "webhook_secret": "hook-secret-123"]])
        #expect(created.status == 201)
        let id = try #require(created.json["id"] as? String)
        #expect(created.headers["location"] == "/api/v1/integrations/\(id)")
        #expect(created.json["rate_limit_per_minute"] as? Int == 60)
        #expect(created.json["status"] as? String == "active")
        #expect(!created.text.contains("secret-bot-token"), "config secrets are never returned")

        let fetched = try await server.client.sendJSON("GET", "/api/v1/integrations/\(id)", token: token)
        #expect(fetched.status == 200)
        #expect(fetched.json["name"] as? String == "Support bot")

        let updated = try await server.client.sendJSON("PUT", "/api/v1/integrations/\(id)", token: token,
                                                       json: ["status": "inactive", "rate_limit_per_minute": 120])
        #expect(updated.status == 200)
        #expect(updated.json["status"] as? String == "inactive")
        #expect(updated.json["rate_limit_per_minute"] as? Int == 120)
        #expect(updated.json["name"] as? String == "Support bot")

        let list = try await server.client.sendJSON("GET", "/api/v1/integrations", token: token)
        #expect(list.json["total"] as? Int == 1)

        #expect(try await server.client.sendJSON("DELETE", "/api/v1/integrations/\(id)", token: token).status == 204)
        #expect(try await server.client.sendJSON("GET", "/api/v1/integrations/\(id)", token: token).status == 404)
        await server.stop()
    }

    @Test func anotherUsersIntegrationIsNotFound() async throws {
        let server = try await TestServer()
        let alice = server.token(), bob = server.token()
        let created = try await server.client.sendJSON("POST", "/api/v1/integrations", token: alice, json: ["name": "A", "type": "zapier"])
        let id = try #require(created.json["id"] as? String)
        _ = try await server.client.sendJSON("POST", "/api/v1/integrations", token: bob, json: ["name": "B", "type": "make"])

        #expect(try await server.client.sendJSON("GET", "/api/v1/integrations/\(id)", token: bob).status == 404)
        #expect(try await server.client.sendJSON("PUT", "/api/v1/integrations/\(id)", token: bob, json: ["name": "mine"]).status == 404)
        #expect(try await server.client.sendJSON("DELETE", "/api/v1/integrations/\(id)", token: bob).status == 404)
        let bobs = try await server.client.sendJSON("GET", "/api/v1/integrations", token: bob)
        let names = bobs.json["items"].flatMap { $0 as? [[String: Any]] }?.compactMap { $0["name"] as? String }
        #expect(names == ["B"])
        let alices = try await server.client.sendJSON("GET", "/api/v1/integrations/\(id)", token: alice)
        #expect(alices.json["name"] as? String == "A")
        await server.stop()
    }

    @Test func bodyCannotPlantARowInAnotherTenant() async throws {
        let server = try await TestServer()
        let victim = UUID()
        let response = try await server.client.sendJSON("POST", "/api/v1/integrations", token: server.token(),
                                                        json: ["name": "x", "type": "generic", "user_id": victim.uuidString])
        #expect(response.status == 422)
        let fields = (response.json["details"] as? [String: Any])?["fields"] as? [[String: Any]]
        #expect(fields?.first?["path"] as? String == "/user_id")
        let victims = try await server.client.sendJSON("GET", "/api/v1/integrations", token: server.token(for: victim))
        #expect(victims.json["total"] as? Int == 0)
        await server.stop()
    }

    @Test func validationNamesEveryBadField() async throws {
        let server = try await TestServer()
        let response = try await server.client.sendJSON("POST", "/api/v1/integrations", token: server.token(),
                                                        json: ["type": "fax", "rate_limit_per_minute": 0, "config": [1], "colour": "red"])
        #expect(response.status == 422)
        let paths = ((response.json["details"] as? [String: Any])?["fields"] as? [[String: Any]])?.compactMap { $0["path"] as? String } ?? []
        #expect(Set(paths) == ["/name", "/type", "/rate_limit_per_minute", "/config", "/colour"])
        await server.stop()
    }

    @Test func malformedIdsAndPagingAreAnswered() async throws {
        let server = try await TestServer()
        let token = server.token()
        #expect(try await server.client.sendJSON("GET", "/api/v1/integrations/not-a-uuid", token: token).status == 404)
        let paging = try await server.client.sendJSON("GET", "/api/v1/integrations?per_page=1000", token: token)
        #expect(paging.status == 422)
        for i in 0..<3 {
            _ = try await server.client.sendJSON("POST", "/api/v1/integrations", token: token, json: ["name": "n\(i)", "type": "generic"])
        }
        let page = try await server.client.sendJSON("GET", "/api/v1/integrations?page=2&per_page=2", token: token)
        #expect(page.json["total"] as? Int == 3)
        #expect((page.json["items"] as? [Any])?.count == 1)
        await server.stop()
    }

    @Test func changesAreAudited() async throws {
        let server = try await TestServer()
        let created = try await server.client.sendJSON("POST", "/api/v1/integrations", token: server.token(), json: ["name": "a", "type": "make"])
        let id = try #require(created.json["id"] as? String)
        let audit = try await server.client.sendJSON("GET", "/api/v1/admin/audit?action=integration.created", token: server.token(admin: true))
        let items = audit.json["items"] as? [[String: Any]] ?? []
        #expect(items.contains { $0["target_id"] as? String == id })
        await server.stop()
    }
}
