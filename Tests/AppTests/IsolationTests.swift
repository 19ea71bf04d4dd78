import Foundation
import RenumManifest
import RenumStorage
import RenumTestSupport
import Testing
@testable import RenumApp

/// Where third-party code runs: a plugin cannot opt itself out of the sandbox.
@Suite struct IsolationTests {
    @Test func thirdPartyCodeRunsInAWorkerAndHotSwapUnloadsIt() async throws {
        let server = try await TestServer()
        try await server.publish("jailed", version: "1.0.0")   // its manifest asks for inprocess
        let v1 = try #require(SemanticVersion("1.0.0"))
        #expect(server.server.runtime.loadedVersions(agentID: "jailed").isEmpty)
        let pid = try #require(server.server.workers.processID(agentID: "jailed", version: v1))
        #expect(kill(pid, 0) == 0)
        let call = try await server.invoke("jailed", "typed", input: ["n": 3], token: server.token())
        #expect(call.status == 200)
        // Measured in the worker: its peak memory travels with the rest of the metering.
        #expect(((call.json["metering"] as? [String: Any])?["peak_memory_bytes"] as? Int ?? 0) > 1 << 20)
        // …and into the stored metering record, like every other figure.
        var stored: Int64?
        for _ in 0..<200 where stored == nil {
            stored = try server.server.store.read { db in
                try db.queryFirst("SELECT peak_memory_bytes FROM plugin_invocations WHERE agent_id = 'jailed' AND outcome = 'OK'")?
                    .optionalInt("peak_memory_bytes")
            }
            if stored == nil { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect((stored ?? 0) > 1 << 20)

        try await server.publish("jailed", version: "2.0.0")
        let deadline = Date().addingTimeInterval(10)
        while kill(pid, 0) == 0, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(kill(pid, 0) != 0, "the old version's worker should have exited")
        #expect(server.server.workers.processID(agentID: "jailed", version: try #require(SemanticVersion("2.0.0"))) != nil)
        await server.stop()
    }

    @Test func anUndeclaredCredentialIsDeniedAndAudited() async throws {
        let server = try await TestServer()
        try await server.publish("nosy", version: "1.0.0")   // required_credentials: []
        let user = server.token()
        _ = try await server.client.sendJSON("POST", "/api/v1/credentials", token: user, json: [
            "service_type": "svc", "service_name": "x", "credentials": ["key": "never-for-nosy"]])
        let call = try await server.invoke("nosy", "cred", token: user)
        #expect(call.status == 200)
        #expect(!call.text.contains("never-for-nosy"))
        let body = (call.json["output"] as? [String: Any])?["body"] as? [String: Any]
        #expect(body?["code"] as? String == "POLICY_DENIED", "\(call.text)")
        var audited = false
        for _ in 0..<100 where !audited {
            let audit = try await server.client.sendJSON("GET", "/api/v1/admin/audit?action=plugin.credential_denied", token: server.token(admin: true))
            audited = (audit.json["total"] as? Int ?? 0) > 0
            if !audited { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(audited)
        await server.stop()
    }

    @Test func anOperatorMayAllowAnAgentInProcess() async throws {
        let server = try await TestServer { $0.inProcessAgents = ["trusted"] }
        try await server.publish("trusted", version: "1.0.0")
        #expect(server.server.runtime.loadedVersions(agentID: "trusted") == [try #require(SemanticVersion("1.0.0"))])
        #expect(try await server.invoke("trusted", "noop", token: server.token()).status == 200)
        await server.stop()
    }
}
