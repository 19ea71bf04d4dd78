import Foundation
import RenumApp
import RenumCore
import RenumTestSupport
import Testing

@Suite struct CredentialAPITests {
    /// A secret distinctive enough to search for in every byte the server leaves behind.
    static func secret() -> String { "sk-live-\(UUID().lowercasedString)-do-not-leak" }

    @Test func secretsAreWriteOnly() async throws {
        let server = try await TestServer()
        let token = server.token()
        let secret = Self.secret()
        let created = try await server.client.sendJSON("POST", "/api/v1/credentials", token: token, json: [
            "service_type": "openai", "service_name": "Work key", "credentials": ["api_key": secret, "org": "acme"],
            "scopes": ["chat"]])
        #expect(created.status == 201)
        #expect(!created.text.contains(secret))
        #expect(created.json["fields"] as? [String] == ["api_key", "org"])
        let id = try #require(created.json["id"] as? String)
        for path in ["/api/v1/credentials", "/api/v1/credentials/\(id)"] {
            let response = try await server.client.sendJSON("GET", path, token: token)
            #expect(response.status == 200)
            #expect(!response.text.contains(secret))
        }
        // The plugin-facing release path opens what the API sealed.
        let released = try server.server.credentials.release(serviceType: "openai", userID: try #require(UUID(text: created.json["user_id"] as? String ?? "")))
        #expect(released.map { String(decoding: $0, as: UTF8.self) }?.contains(secret) == true)
        await server.stop()
    }

    @Test func tenantsNeverSeeEachOthersCredentials() async throws {
        let server = try await TestServer()
        let alice = server.token(), bob = server.token()
        let created = try await server.client.sendJSON("POST", "/api/v1/credentials", token: alice, json: [
            "service_type": "gmail", "service_name": "inbox", "credentials": ["refresh_token": Self.secret()]])
        let id = try #require(created.json["id"] as? String)
        #expect(try await server.client.sendJSON("GET", "/api/v1/credentials/\(id)", token: bob).status == 404)
        #expect(try await server.client.sendJSON("PUT", "/api/v1/credentials/\(id)", token: bob, json: ["service_name": "x"]).status == 404)
        #expect(try await server.client.sendJSON("DELETE", "/api/v1/credentials/\(id)", token: bob).status == 404)
        #expect(try await server.client.sendJSON("POST", "/api/v1/credentials/\(id)/validate", token: bob).status == 404)
        #expect(try await server.client.sendJSON("GET", "/api/v1/credentials", token: bob).json["total"] as? Int == 0)
        await server.stop()
    }

    @Test func duplicatesConflictAndBadBodiesNameTheirFields() async throws {
        let server = try await TestServer()
        let token = server.token()
        let body: [String: Any] = ["service_type": "slack", "service_name": "team", "credentials": ["token": "xoxb-1"]]
        #expect(try await server.client.sendJSON("POST", "/api/v1/credentials", token: token, json: body).status == 201)
        let duplicate = try await server.client.sendJSON("POST", "/api/v1/credentials", token: token, json: body)
        #expect(duplicate.status == 409)
        let bad = try await server.client.sendJSON("POST", "/api/v1/credentials", token: token, json: [
            "service_type": "Bad Type", "credentials": ["k": 5], "expires_at": "tomorrow", "user_id": UUID().uuidString])
        #expect(bad.status == 422)
        let paths = Set(((bad.json["details"] as? [String: Any])?["fields"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String })
        #expect(paths == ["/service_type", "/service_name", "/credentials/k", "/expires_at", "/user_id"])
        #expect(!bad.text.contains("xoxb"))
        await server.stop()
    }

    @Test func expiryIsReportedAndUpdatesReplaceTheSecret() async throws {
        let server = try await TestServer()
        let token = server.token()
        let created = try await server.client.sendJSON("POST", "/api/v1/credentials", token: token, json: [
            "service_type": "stripe", "service_name": "old", "credentials": ["key": "first"],
            "expires_at": "2001-01-01T00:00:00Z"])
        let id = try #require(created.json["id"] as? String)
        #expect(created.json["status"] as? String == "expired")
        let user = try #require(UUID(text: created.json["user_id"] as? String ?? ""))
        #expect(try server.server.credentials.release(serviceType: "stripe", userID: user) == nil)
        let updated = try await server.client.sendJSON("PUT", "/api/v1/credentials/\(id)", token: token, json: [
            "credentials": ["key": "second"], "expires_at": NSNull()])
        #expect(updated.status == 200)
        #expect(updated.json["status"] as? String == "active")
        let released = try #require(try server.server.credentials.release(serviceType: "stripe", userID: user))
        #expect(String(decoding: released, as: UTF8.self) == #"{"key":"second"}"#)
        await server.stop()
    }

    @Test func validationWithoutACapablePluginSaysSo() async throws {
        let server = try await TestServer()
        let token = server.token()
        let created = try await server.client.sendJSON("POST", "/api/v1/credentials", token: token, json: [
            "service_type": "nothing-serves-this", "service_name": "x", "credentials": ["k": "v"]])
        let id = try #require(created.json["id"] as? String)
        let response = try await server.client.sendJSON("POST", "/api/v1/credentials/\(id)/validate", token: token)
        #expect(response.status == 422)
        #expect(response.json["code"] as? String == "VALIDATION_UNSUPPORTED")
        await server.stop()
    }

    @Test func theServingAgentValidatesTheCredential() async throws {
        let server = try await TestServer()
        try await server.publish("svc-agent", version: "1.0.0", credentials: ["svc"])
        let token = server.token()
        let created = try await server.client.sendJSON("POST", "/api/v1/credentials", token: token, json: [
            "service_type": "svc", "service_name": "main", "credentials": ["key": "a good key"]])
        let id = try #require(created.json["id"] as? String)
        let valid = try await server.client.sendJSON("POST", "/api/v1/credentials/\(id)/validate", token: token)
        #expect(valid.status == 200, "\(valid.text)")
        #expect(valid.json["valid"] as? Bool == true)
        #expect((valid.json["credential"] as? [String: Any])?["last_validated_at"] is String)
        _ = try await server.client.sendJSON("PUT", "/api/v1/credentials/\(id)", token: token, json: ["credentials": ["key": "a bad key"]])
        let invalid = try await server.client.sendJSON("POST", "/api/v1/credentials/\(id)/validate", token: token)
        #expect(invalid.json["valid"] as? Bool == false)
        #expect((invalid.json["credential"] as? [String: Any])?["status"] as? String == "invalid")
        #expect(!invalid.text.contains("bad key"))
        await server.stop()
    }

    @Test func noSecretReachesDiskLogsOrResponsesInClear() async throws {
        let server = try await TestServer()
        let token = server.token()
        let secret = Self.secret()
        _ = try await server.client.sendJSON("POST", "/api/v1/credentials", token: token, json: [
            "service_type": "openai", "service_name": "k", "credentials": ["api_key": secret]])
        _ = try await server.client.sendJSON("POST", "/api/v1/credentials", token: token, json: [
            "service_type": "openai", "service_name": "k", "credentials": ["api_key": secret]])   // 409 path too
        await server.stop(removingData: false)
        defer { server.directory.remove() }
        let needle = Array(secret.utf8)
        let files = FileManager.default.enumerator(atPath: server.directory.path)?.compactMap { $0 as? String } ?? []
        #expect(!files.isEmpty)
        for file in files {
            let bytes = [UInt8]((try? Data(contentsOf: URL(fileURLWithPath: server.directory.path + "/" + file))) ?? Data())
            #expect(!bytes.indices.contains { bytes[$0...].starts(with: needle) }, "secret found in clear in \(file)")
        }
        for line in server.logs.lines { #expect(!line.contains(secret)) }
    }

    @Test func rotationKeepsEveryCredentialReadable() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let server = try await TestServer(directory: directory)
        let token = server.token()
        var users: [UUID] = []
        for i in 0..<5 {
            let created = try await server.client.sendJSON("POST", "/api/v1/credentials", token: token, json: [
                "service_type": "svc\(i)", "service_name": "n", "credentials": ["k": "value-\(i)"]])
            users.append(try #require(UUID(text: created.json["user_id"] as? String ?? "")))
        }
        await server.stop(removingData: false)
        let code = await RenumCommand.main(["renum", "keys", "rotate", "--data-dir", directory.path], environment: [:])
        #expect(code == 0)
        let restarted = try await TestServer(directory: directory)
        for i in 0..<5 {
            let released = try restarted.server.credentials.release(serviceType: "svc\(i)", userID: users[i])
            #expect(released.map { String(decoding: $0, as: UTF8.self) } == "{\"k\":\"value-\(i)\"}")
        }
        #expect(FileManager.default.fileExists(atPath: directory.file("master.key")))
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.file("master.key"))
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        await restarted.stop(removingData: false)
    }
}
