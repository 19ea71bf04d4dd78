import Foundation
import RenumManifest
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
        #expect(try await server.invoke("jailed", "typed", input: ["n": 3], token: server.token()).status == 200)

        try await server.publish("jailed", version: "2.0.0")
        let deadline = Date().addingTimeInterval(10)
        while kill(pid, 0) == 0, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(kill(pid, 0) != 0, "the old version's worker should have exited")
        #expect(server.server.workers.processID(agentID: "jailed", version: try #require(SemanticVersion("2.0.0"))) != nil)
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
