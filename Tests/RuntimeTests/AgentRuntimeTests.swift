import Foundation
import Synchronization
import Testing
import RenumCore
import RenumManifest
import RenumObservability
import RenumRuntime
import RenumTestSupport

final class CollectingObserver: InvocationObserver {
    let records = Mutex<[InvocationRecord]>([])
    func invocationFinished(_ record: InvocationRecord) { records.withLock { $0.append(record) } }
    var all: [InvocationRecord] { records.withLock { $0 } }
}

/// The async runtime: timeouts, admission limits, hot-swap, retirement, observers.
@Suite struct AgentRuntimeTests {
    let directory = TemporaryDirectory(prefix: "renum-runtime")

    func runtime(_ observer: CollectingObserver = CollectingObserver()) -> AgentRuntime {
        AgentRuntime(services: DenyAllHostServices(logger: .disabled), logger: .disabled, observers: [observer])
    }

    @discardableResult
    func load(_ runtime: AgentRuntime, version: String = "1.0.0", maxConcurrency: Int = 4, timeoutMs: Int = 300,
              activate: Bool = true) throws -> SemanticVersion {
        let plugin = try buildTestPlugin(directory, name: "lib-\(version)-\(maxConcurrency)-\(timeoutMs).so",
                                         manifestText: testManifestText(version: version, maxConcurrency: maxConcurrency, timeoutMs: timeoutMs))
        try runtime.load(manifest: plugin.manifest, artifactPath: plugin.path, sha256: plugin.sha256, config: #"{"v": "\#(version)"}"#.bytes)
        if activate { try runtime.activate(agentID: "test-plugin", version: plugin.manifest.version) }
        return plugin.manifest.version
    }

    @Test func unknownAgentsAndVersionsAreRefused() async throws {
        let observer = CollectingObserver()
        let runtime = runtime(observer)
        #expect(await runtime.invoke(agentID: "nobody", capability: "noop", input: "{}".bytes).outcome.code == "AGENT_NOT_FOUND")
        try load(runtime, activate: false)
        #expect(await runtime.invoke(agentID: "test-plugin", capability: "noop", input: "{}".bytes).outcome.code == "VERSION_NOT_FOUND")
        #expect(await runtime.invoke(agentID: "test-plugin", version: SemanticVersion("9.9.9"), capability: "noop", input: "{}".bytes).outcome.code == "VERSION_NOT_FOUND")
        let pinned = await runtime.invoke(agentID: "test-plugin", version: SemanticVersion("1.0.0"), capability: "noop", input: "{}".bytes)
        #expect(pinned.outcome == .success("{}".bytes))
        #expect(throws: RuntimeError.self) { try runtime.activate(agentID: "test-plugin", version: SemanticVersion("2.0.0")!) }
        #expect(throws: LoadError.self) { try load(runtime) }
        #expect(observer.all.map(\.outcomeCode) == ["AGENT_NOT_FOUND", "VERSION_NOT_FOUND", "VERSION_NOT_FOUND", "OK"])
        #expect(observer.all.last?.version == SemanticVersion("1.0.0"))
    }

    @Test func aSlowPluginHitsItsTimeoutAndItsLateResultIsFreed() async throws {
        let observer = CollectingObserver()
        let runtime = runtime(observer)
        try load(runtime, timeoutMs: 100)
        let began = ContinuousClock.now
        let result = await runtime.invoke(agentID: "test-plugin", capability: "slow", input: "{}".bytes)
        let elapsed = ContinuousClock.now - began
        #expect(result.outcome.code == "PLUGIN_TIMEOUT")
        // The deadline fires on time: the metering is taken when the timeout resolves the call.
        // How long the awaiting task then waits for a cooperative thread depends on the other
        // tests running in parallel (some block that pool), so only a lower bound is asserted on it.
        #expect(elapsed >= .milliseconds(100), "\(elapsed)")
        #expect(result.metering.wallNanoseconds >= 100_000_000 && result.metering.wallNanoseconds < 500_000_000)
        // The plugin saw is_cancelled, returned late; its output was freed all the same.
        try await Task.sleep(for: .milliseconds(100))
        let stats = json(await runtime.invoke(agentID: "test-plugin", capability: "stats", input: "{}".bytes).output)
        #expect(stats?["allocations"] == 1)
        #expect(stats?["frees"] == 1)
        #expect(observer.all.first?.outcomeCode == "PLUGIN_TIMEOUT")
    }

    @Test func maxConcurrencyIsEnforcedWithAShortQueue() async throws {
        let runtime = runtime()
        try load(runtime, maxConcurrency: 1, timeoutMs: 400)
        // One running and two queued (2 × max_concurrency) fill the version; the next is refused at once.
        let slow = (0..<3).map { _ in
            Task { await runtime.invoke(agentID: "test-plugin", capability: "slow", input: "{}".bytes).outcome.code }
        }
        try await Task.sleep(for: .milliseconds(100))
        let began = ContinuousClock.now
        let refused = await runtime.invoke(agentID: "test-plugin", capability: "noop", input: "{}".bytes)
        #expect(refused.outcome.code == "CONCURRENCY_LIMIT")
        #expect(ContinuousClock.now - began < .milliseconds(300)) // not after the 400 ms the slow calls take
        var codes: [String] = []
        for task in slow { codes.append(await task.value) }
        #expect(codes == ["PLUGIN_TIMEOUT", "PLUGIN_TIMEOUT", "PLUGIN_TIMEOUT"])
        // Once drained, the version answers again.
        try await Task.sleep(for: .milliseconds(50))
        #expect(await runtime.invoke(agentID: "test-plugin", capability: "noop", input: "{}".bytes).outcome.code == "OK")
    }

    @Test func hotSwapUnderConcurrentCallsLosesNothing() async throws {
        let runtime = runtime()
        let v1 = try load(runtime, version: "1.0.0", maxConcurrency: 8, timeoutMs: 5000)
        let v2 = try load(runtime, version: "2.0.0", maxConcurrency: 8, timeoutMs: 5000, activate: false)
        let results = await withTaskGroup(of: [String].self) { group -> [String] in
            for _ in 0..<8 {
                group.addTask {
                    var answers: [String] = []
                    for _ in 0..<200 {
                        let result = await runtime.invoke(agentID: "test-plugin", capability: "config", input: "{}".bytes)
                        guard let v = json(result.output)?["v"]?.stringValue, v == result.version?.description else {
                            answers.append("failed: \(result.outcome.code)")
                            continue
                        }
                        answers.append(v)
                    }
                    return answers
                }
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(20))
                _ = try? runtime.activate(agentID: "test-plugin", version: v2)
                try? await Task.sleep(for: .milliseconds(20))
                _ = try? runtime.activate(agentID: "test-plugin", version: v1)
                return []
            }
            var all: [String] = []
            for await answers in group { all += answers }
            return all
        }
        #expect(results.count == 1600)
        #expect(results.filter { $0.hasPrefix("failed") }.isEmpty, "\(Set(results))")
        #expect(Set(results).isSubset(of: ["1.0.0", "2.0.0"]))
        #expect(runtime.activeVersion(agentID: "test-plugin") == v1)
        #expect(runtime.loadedVersions(agentID: "test-plugin") == [v1, v2])
    }

    @Test func activationIsAtomicAndNewCallsGetTheNewVersion() async throws {
        let runtime = runtime()
        let v1 = try load(runtime, version: "1.0.0")
        let v2 = try load(runtime, version: "1.1.0", activate: false)
        #expect(await runtime.invoke(agentID: "test-plugin", capability: "noop", input: "{}".bytes).version == v1)
        #expect(try runtime.activate(agentID: "test-plugin", version: v2) == v1)
        #expect(await runtime.invoke(agentID: "test-plugin", capability: "noop", input: "{}".bytes).version == v2)
        try runtime.activate(agentID: "test-plugin", version: v1) // rollback
        #expect(await runtime.invoke(agentID: "test-plugin", capability: "noop", input: "{}".bytes).version == v1)
    }

    @Test func retireDrainsInFlightCallsThenShutsDown() async throws {
        let runtime = runtime()
        let v1 = try load(runtime, version: "1.0.0", timeoutMs: 200)
        let v2 = try load(runtime, version: "2.0.0", activate: false)
        // A call in flight on v1 (it runs until cancelled at its 200 ms deadline).
        let inFlight = Task { await runtime.invoke(agentID: "test-plugin", capability: "slow", input: "{}".bytes) }
        try await Task.sleep(for: .milliseconds(30))
        await #expect(throws: RuntimeError(code: "VERSION_ACTIVE", message: "test-plugin 1.0.0 is active; activate another version first")) {
            try await runtime.retire(agentID: "test-plugin", version: v1)
        }
        try runtime.activate(agentID: "test-plugin", version: v2)
        let began = ContinuousClock.now
        try await runtime.retire(agentID: "test-plugin", version: v1)
        #expect(ContinuousClock.now - began >= .milliseconds(100)) // it waited for the slow call
        #expect(await inFlight.value.version == v1)
        #expect(runtime.loadedVersions(agentID: "test-plugin") == [v2])
        let pinned = await runtime.invoke(agentID: "test-plugin", version: v1, capability: "noop", input: "{}".bytes)
        #expect(pinned.outcome.code == "VERSION_NOT_FOUND")
        #expect(await runtime.invoke(agentID: "test-plugin", capability: "noop", input: "{}".bytes).version == v2)
    }
}
