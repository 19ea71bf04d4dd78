import Foundation
import RenumCore
import RenumTestSupport
import Testing

@Suite struct BundledAgentTests {
    @Test func httpGenericIsSeededAndReachesARealUpstream() async throws {
        let upstream = try FakeUpstream()
        let server = try await TestServer()
        let user = server.token()
        let listed = try await server.client.sendJSON("GET", "/api/v1/agents?capability=http_request", token: user)
        let items = listed.json["items"] as? [[String: Any]] ?? []
        #expect(items.first?["agent_id"] as? String == "sa-http-generic")
        #expect(items.first?["active_version"] as? String == "1.0.0")

        let response = try await server.invoke("sa-http-generic", "http_request", input: [
            "method": "POST", "url": "http://localhost:\(upstream.port)/hooks/catch/1/abc", "json": ["lead": "ada"]], token: user)
        #expect(response.status == 200, "\(response.text)")
        let output = response.json["output"] as? [String: Any]
        #expect(output?["status"] as? Int == 200)
        let body = output?["json"] as? [String: Any]
        #expect(body?["status"] as? String == "success")
        #expect((body?["received"] as? [String: Any])?["lead"] as? String == "ada")
        let metering = response.json["metering"] as? [String: Any]
        #expect(metering?["egress_requests"] as? Int == 1)
        #expect((metering?["wall_ns"] as? Int ?? 0) > 0)
        // "*" in allowed_hosts means host names, never IP literals.
        let literal = try await server.invoke("sa-http-generic", "http_request",
                                              input: ["url": "http://127.0.0.1:\(upstream.port)/hooks/catch/1/abc"], token: user)
        #expect(literal.json["code"] as? String == "EGRESS_HOST_NOT_ALLOWED")
        await server.stop()
    }

    @Test func metadataAndUndeclaredHostsAreRefusedByTheHost() async throws {
        let server = try await TestServer()
        let user = server.token()
        let metadata = try await server.invoke("sa-http-generic", "http_request",
                                               input: ["url": "http://169.254.169.254/latest/meta-data/"], token: user)
        #expect(metadata.status == 502)
        #expect((metadata.json["code"] as? String)?.hasPrefix("EGRESS_") == true, "\(metadata.text)")
        #expect((metadata.json["details"] as? [String: Any])?["error_type"] as? String == "AgentExecutionError")
        #expect(try await server.client.send("GET", "/healthz").status == 200)
        await server.stop()
    }
}

@Suite struct AgentLifecycleTests {
    @Test func aVersionGoesFromDraftToActiveAndBack() async throws {
        let server = try await TestServer()
        let admin = server.token(admin: true)
        let alice = UUID(), bob = UUID()
        let aliceToken = server.token(for: alice), bobToken = server.token(for: bob)

        // Draft: admins only; no artifact, no approval.
        try await server.publish("life", version: "1.0.0", to: nil)
        #expect(try await server.client.sendJSON("GET", "/api/v1/agents/life", token: bobToken).status == 404)
        #expect(try await server.client.sendJSON("GET", "/api/v1/agents/life", token: admin).json["status"] as? String == "draft")
        let early = try await server.client.sendJSON("PUT", "/api/v1/agents/life/approve?version=1.0.0", token: admin)
        #expect(early.status == 409)
        #expect((early.json["details"] as? [String: Any])?["allowed"] as? [String] == ["stage", "deprecate"])
        #expect(try await server.invoke("life", "typed", input: ["n": 1], token: admin).status == 200)   // admins test drafts

        // Staged with a tenant canary: Alice gets it, Bob does not.
        let staged = try await server.client.sendJSON("PUT", "/api/v1/agents/life/stage?version=1.0.0", token: admin,
                                                      json: ["canary": ["tenants": [alice.lowercasedString]]])
        #expect(staged.status == 200)
        let aliceCall = try await server.invoke("life", "typed", input: ["n": 7], token: aliceToken)
        #expect(aliceCall.status == 200)
        #expect((aliceCall.json["output"] as? [String: Any])?["n"] as? Int == 7)
        #expect(try await server.invoke("life", "typed", input: ["n": 7], token: bobToken).status == 404)
        let restage = try await server.client.sendJSON("PUT", "/api/v1/agents/life/stage?version=1.0.0", token: admin)
        #expect(restage.status == 409)

        // Approved: everyone; then 2.0.0 takes over, and re-approving 1.0.0 rolls back.
        #expect(try await server.client.sendJSON("PUT", "/api/v1/agents/life/approve?version=1.0.0", token: admin).status == 200)
        #expect(try await server.invoke("life", "noop", token: bobToken).json["version"] as? String == "1.0.0")
        try await server.publish("life", version: "2.0.0")
        #expect(try await server.invoke("life", "noop", token: bobToken).json["version"] as? String == "2.0.0")
        #expect(try await server.client.sendJSON("PUT", "/api/v1/agents/life/approve?version=1.0.0", token: admin).status == 200)
        #expect(try await server.invoke("life", "noop", token: bobToken).json["version"] as? String == "1.0.0")

        // Deprecated: no new calls, invisible to users.
        #expect(try await server.client.sendJSON("PUT", "/api/v1/agents/life/deprecate?version=2.0.0", token: admin).status == 200)
        #expect(try await server.invoke("life", "noop", version: "2.0.0", token: bobToken).status == 404)
        #expect(try await server.invoke("life", "noop", version: "2.0.0", token: admin).status == 410)
        let versions = try await server.client.sendJSON("GET", "/api/v1/agents/life/versions", token: bobToken)
        #expect((versions.json["items"] as? [[String: Any]])?.compactMap { $0["version"] as? String } == ["1.0.0"])

        // Every move is audited.
        let audit = try await server.client.sendJSON("GET", "/api/v1/admin/audit?per_page=100", token: admin)
        let actions = (audit.json["items"] as? [[String: Any]] ?? []).filter { ($0["target_id"] as? String)?.hasPrefix("life@") == true }
            .compactMap { $0["action"] as? String }
        for action in ["agent.created", "agent.artifact_uploaded", "agent.staged", "agent.approved", "agent.deprecated"] {
            #expect(actions.contains(action), "missing \(action)")
        }

        // A restart serves exactly what was approved.
        await server.stop(removingData: false)
        let restarted = try await TestServer(directory: server.directory)
        #expect(try await restarted.invoke("life", "noop", token: bobToken).json["version"] as? String == "1.0.0")
        await restarted.stop()
    }

    @Test func percentageCanaryFollowsTheStableBucket() async throws {
        let server = try await TestServer()
        try await server.publish("canary", version: "1.0.0")
        try await server.publish("canary", version: "1.1.0", to: "stage", canary: ["percentage": 30])
        var inside: UUID?, outside: UUID?
        while inside == nil || outside == nil {
            let user = UUID()
            if Murmur3.bucket(group: "canary", id: user.lowercasedString) <= 30 { inside = inside ?? user } else { outside = outside ?? user }
        }
        #expect(try await server.invoke("canary", "noop", token: server.token(for: inside!)).json["version"] as? String == "1.1.0")
        #expect(try await server.invoke("canary", "noop", token: server.token(for: outside!)).json["version"] as? String == "1.0.0")
        await server.stop()
    }

    @Test func badArtifactsAreRefusedWithTheReason() async throws {
        let server = try await TestServer()
        let admin = server.token(admin: true)
        let manifest = agentManifest("picky", version: "1.0.0")
        #expect(try await server.client.send("POST", "/api/v1/agents", headers: ["Authorization": "Bearer \(admin)", "Content-Type": "application/json"],
                                             body: Array(manifest.utf8)).status == 201)
        let upload = { (bytes: [UInt8]) in
            try await server.client.send("PUT", "/api/v1/agents/picky/versions/1.0.0/artifact",
                                         headers: ["Authorization": "Bearer \(admin)", "Content-Type": "application/octet-stream"], body: bytes)
        }
        let text = try await upload(Array("this is not a shared library".utf8))
        #expect(text.status == 422)
        #expect(text.json["code"] as? String == "NOT_A_LIBRARY")
        let other = try CTestPlugin.compile(manifestText: agentManifest("picky", version: "9.9.9"), directory: server.directory.path, name: "libother.so")
        let mismatch = try await upload([UInt8](try Data(contentsOf: URL(fileURLWithPath: other))))
        #expect(mismatch.status == 422)
        #expect(mismatch.json["code"] as? String == "MANIFEST_MISMATCH")
        let wrongABI = try CTestPlugin.compile(manifestText: manifest, directory: server.directory.path, name: "libabi.so", flags: ["-DTEST_ABI_MAJOR=2"])
        let abi = try await upload([UInt8](try Data(contentsOf: URL(fileURLWithPath: wrongABI))))
        #expect(abi.json["code"] as? String == "ABI_INCOMPATIBLE")
        #expect(try await server.client.send("GET", "/healthz").status == 200)
        let user = server.token()
        #expect(try await server.client.send("POST", "/api/v1/agents", headers: ["Authorization": "Bearer \(user)", "Content-Type": "application/json"],
                                             body: Array(manifest.utf8)).status == 403)
        let duplicate = try await server.client.send("POST", "/api/v1/agents", headers: ["Authorization": "Bearer \(admin)", "Content-Type": "application/json"],
                                                     body: Array(manifest.utf8))
        #expect(duplicate.status == 409)
        let unknownField = try await server.client.sendJSON("POST", "/api/v1/agents", token: admin, json: ["agent_id": "x", "colour": "red"])
        #expect(unknownField.status == 422)
        await server.stop()
    }
}

@Suite struct AgentInvocationTests {
    @Test func errorsKeepTheirMeaning() async throws {
        let server = try await TestServer()
        try await server.publish("errs", version: "1.0.0", timeoutMs: 200)
        let user = server.token()
        #expect(try await server.invoke("errs", "nope", token: user).status == 404)
        #expect(try await server.invoke("missing-agent", "noop", token: user).status == 404)
        let bad = try await server.invoke("errs", "typed", input: ["n": "seven"], token: user)
        #expect(bad.status == 422)
        #expect(bad.json["code"] as? String == "INVALID_INPUT")
        let failed = try await server.invoke("errs", "fail", token: user)
        #expect(failed.status == 502)
        #expect(failed.json["code"] as? String == "TEST_FAILURE")
        #expect((failed.json["details"] as? [String: Any])?["agent_id"] as? String == "errs")
        let slow = try await server.invoke("errs", "slow", token: user)
        #expect(slow.status == 504)
        #expect(slow.json["code"] as? String == "PLUGIN_TIMEOUT")
        let ok = try await server.invoke("errs", "noop", token: user)
        #expect((ok.json["metering"] as? [String: Any])?["cost"] as? Double == 0.25)
        let metrics = try await server.client.send("GET", "/metrics").text
        #expect(metrics.contains(#"renum_plugin_invocations_total{agent="errs",version="1.0.0",outcome="OK"}"#))
        #expect(metrics.contains(#"outcome="PLUGIN_TIMEOUT""#))
        await server.stop()
    }

    @Test func hotSwapUnderConcurrentCallsLosesNothing() async throws {
        let server = try await TestServer()
        let admin = try await server.publish("swap", version: "1.0.0")
        try await server.publish("swap", version: "2.0.0", to: "stage")
        let user = server.token()
        let results = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var versions: [String] = []
                    for _ in 0..<40 {
                        let response = try await server.invoke("swap", "typed", input: ["n": 1], token: user)
                        versions.append(response.status == 200 ? (response.json["version"] as? String ?? "?") : "HTTP \(response.status)")
                    }
                    return versions
                }
            }
            group.addTask {
                try await Task.sleep(for: .milliseconds(20))
                let approved = try await server.client.sendJSON("PUT", "/api/v1/agents/swap/approve?version=2.0.0", token: admin)
                return [approved.status == 200 ? "swapped" : "swap failed \(approved.status)"]
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(results.contains("swapped"))
        let calls = results.filter { $0 != "swapped" }
        #expect(calls.count == 160)
        #expect(calls.allSatisfy { $0 == "1.0.0" || $0 == "2.0.0" }, "\(Set(calls))")
        #expect(try await server.invoke("swap", "noop", token: user).json["version"] as? String == "2.0.0")
        await server.stop()
    }
}
