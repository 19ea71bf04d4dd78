import Foundation
import RenumStorage
import Testing

@Suite("Integrations: config, secrets, tokens")
struct IntegrationManagementTests {
    @Test func createAnswersTokenOnceAndStoresOnlyItsHash() async throws {
        let stack = try TestStack(startWorkers: false)
        let alice = stack.token()
        let created = try await stack.create(["name": "WA", "type": "whatsapp", "config": Payloads.whatsappConfig], token: alice)
        #expect(created.token.hasPrefix("whk_"))
        #expect(created.json["webhook_url"] as? String == "https://hooks.example.test/api/v1/webhook/\(created.id)")
        #expect(created.json["secret_fields"] as? [String] == ["access_token", "app_secret", "webhook_verify_token"])
        let config = created.json["config"] as? [String: Any]
        #expect(config?["business_phone_number"] as? String == "+15550783881")
        #expect(config?["app_secret"] == nil && config?["access_token"] == nil)

        let fetched = try await stack.client.sendJSON("GET", "/api/v1/integrations/\(created.id)", token: alice)
        #expect(fetched.status == 200)
        #expect(fetched.json["token"] == nil)
        for secret in ["app-secret-abc", "EAAG-access-token-secret", "verify-me-123", created.token] {
            #expect(!fetched.text.contains(secret))
        }
        let row = try #require(try stack.rows("SELECT token_hash, config, sealed_secrets FROM integrations").first)
        #expect(row.optionalString("token_hash")?.count == 64)
        let stored = String(decoding: (row.blob("config") ?? []) + (row.blob("sealed_secrets") ?? []), as: UTF8.self)
        for secret in ["app-secret-abc", "EAAG-access-token-secret", "verify-me-123", created.token] {
            #expect(!stored.contains(secret), "a secret is stored in clear")
        }
        #expect(!stack.logs.lines.joined().contains("app-secret-abc"))
        await stack.stop()
    }

    @Test func typeSpecificConfigIsValidated() async throws {
        let stack = try TestStack(startWorkers: false)
        let token = stack.token()
        let cases: [([String: Any], Set<String>)] = [
            (["name": "w", "type": "whatsapp", "config": ["business_phone_number": "+1"]],
             ["/config/access_token", "/config/webhook_verify_token", "/config/app_secret"]),
            (["name": "t", "type": "telegram", "config": ["bot_token": "1:x", "webhook_secret": "bad secret!"]],
             ["/config/webhook_secret"]),
            (["name": "n", "type": "n8n", "config": ["auth": ["type": "header", "name": "X-K"]]], ["/config/auth/value"]),
            (["name": "g", "type": "generic", "config": ["signing_secret": "nope", "colour": "red"]],
             ["/config/signing_secret", "/config/colour"]),
            (["name": "z", "type": "zapier", "config": ["destination": ["agent_id": "a"]]], ["/config/destination"]),
        ]
        for (body, paths) in cases {
            let response = try await stack.client.sendJSON("POST", "/api/v1/integrations", token: token, json: body)
            #expect(response.status == 422, "\(body)")
            let fields = (response.json["details"] as? [String: Any])?["fields"] as? [[String: Any]] ?? []
            #expect(Set(fields.compactMap { $0["path"] as? String }) == paths)
            #expect(!response.text.contains("bad secret!"))
        }
        let good = try await stack.create(["name": "n", "type": "n8n", "config": [
            "auth": ["type": "basic", "username": "u", "password": "p4ss"],
            "destination": ["agent_id": "support", "capability": "reply"]]], token: token)
        #expect(good.json["secret_fields"] as? [String] == ["auth.password"])
        #expect(((good.json["config"] as? [String: Any])?["auth"] as? [String: Any])?["username"] as? String == "u")
        await stack.stop()
    }

    @Test func updateResealsAndKeepsOmittedSecrets() async throws {
        let stack = try TestStack(startWorkers: false)
        let token = stack.token()
        let created = try await stack.create(["name": "t", "type": "telegram",
                                              "config": ["bot_token": "1:abc", "webhook_secret": "s3cret_A"]], token: token)
        let before = try stack.rows("SELECT sealed_secrets FROM integrations").first?.blob("sealed_secrets")
        let updated = try await stack.client.sendJSON("PUT", "/api/v1/integrations/\(created.id)", token: token,
                                                      json: ["config": ["destination": ["orchestrator": true]]])
        #expect(updated.status == 200)
        #expect(updated.json["secret_fields"] as? [String] == ["bot_token", "webhook_secret"])
        let after = try stack.rows("SELECT sealed_secrets FROM integrations").first?.blob("sealed_secrets")
        #expect(before != after)
        // The kept secret still verifies.
        let ok = try await stack.deliver(created.id, Payloads.telegram(updateID: 1),
                                         headers: ["X-Telegram-Bot-Api-Secret-Token": "s3cret_A"])
        #expect(ok.status == 202)
        await stack.stop()
    }

    @Test func regenerateTokenInvalidatesTheOldOne() async throws {
        let stack = try TestStack(startWorkers: false)
        let token = stack.token()
        let created = try await stack.create(["name": "z", "type": "zapier"], token: token)
        let body = Array(#"{"text":"hi"}"#.utf8)
        #expect(try await stack.deliver(created.id, body, headers: ["Authorization": "Bearer \(created.token)"]).status == 202)
        let regenerated = try await stack.client.sendJSON("POST", "/api/v1/integrations/\(created.id)/regenerate-token", token: token)
        #expect(regenerated.status == 200)
        let fresh = try #require(regenerated.json["token"] as? String)
        #expect(fresh != created.token)
        #expect(try await stack.deliver(created.id, body, headers: ["Authorization": "Bearer \(created.token)"]).status == 401)
        #expect(try await stack.deliver(created.id, body, headers: ["Authorization": "Bearer \(fresh)"]).status == 202)
        await stack.stop()
    }

    @Test func everyRouteIsTenantScoped() async throws {
        let stack = try TestStack(startWorkers: false)
        let alice = stack.token(), bob = stack.token()
        let created = try await stack.create(["name": "z", "type": "zapier"], token: alice)
        let id = created.id
        let attempts: [(String, String, Any?)] = [
            ("GET", "/api/v1/integrations/\(id)", nil),
            ("PUT", "/api/v1/integrations/\(id)", ["name": "stolen"]),
            ("POST", "/api/v1/integrations/\(id)/regenerate-token", nil),
            ("GET", "/api/v1/integrations/\(id)/logs", nil),
            ("GET", "/api/v1/integrations/\(id)/analytics", nil),
            ("POST", "/api/v1/integrations/\(id)/replay", ["dead_letters": true]),
            ("DELETE", "/api/v1/integrations/\(id)", nil),
        ]
        for (method, path, body) in attempts {
            let response = try await stack.client.sendJSON(method, path, token: bob, json: body)
            #expect(response.status == 404, "\(method) \(path)")
        }
        let list = try await stack.client.sendJSON("GET", "/api/v1/integrations", token: bob)
        #expect(list.json["total"] as? Int == 0)
        let still = try await stack.client.sendJSON("GET", "/api/v1/integrations/\(id)", token: alice)
        #expect(still.json["name"] as? String == "z")
        await stack.stop()
    }
}
