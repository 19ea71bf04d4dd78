import Foundation
import Testing
import RenumCore
import RenumManifest
import RenumRuntime
import RenumSandbox

/// Hostile plugins (Plugins/examples/hostile): each misbehaviour fails only its own call,
/// with its own code; the worker is replaced; the test process (the host) stays up.
@Suite struct ContainmentTests {
    func hostileCall(_ capability: String, input: String = "{}", services: PolicyDouble = PolicyDouble(), timeoutMilliseconds: Int = 1500) async throws
        -> (answer: WorkerInvocationResult, replaced: Bool, next: WorkerInvocationResult) {
        let plugin = try Plugins.hostile(timeoutMilliseconds: timeoutMilliseconds)
        let worker = try await startWorker(plugin, services: services)
        let pid = try #require(worker.processID)
        let answer = await worker.invoke(capability: capability, input: input.bytes, call: callInfo(plugin.manifest, capability))
        // The next call works, on the same worker or on its replacement.
        let next = await worker.invoke(capability: "noop", input: "{}".bytes, call: callInfo(plugin.manifest, "noop"))
        let replaced = worker.processID != pid && !processExists(pid)
        await worker.stop()
        return (answer, replaced, next)
    }

    @Test func aSegfaultIsPluginCrashed() async throws {
        let (answer, replaced, next) = try await hostileCall("segfault")
        #expect(answer.code == "PLUGIN_CRASHED")
        #expect(answer.message.contains("SIGSEGV"))
        #expect(replaced)
        #expect(next.code == "OK")
    }

    @Test func anAbortIsPluginCrashed() async throws {
        let (answer, replaced, next) = try await hostileCall("abort")
        #expect(answer.code == "PLUGIN_CRASHED")
        #expect(answer.message.contains("SIGABRT"))
        #expect(replaced)
        #expect(next.code == "OK")
    }

    @Test func anInfiniteLoopIsKilledAtTheTimeout() async throws {
        let (answer, replaced, next) = try await hostileCall("spin")
        #expect(answer.code == "PLUGIN_TIMEOUT")
        // policy.timeout_ms is 1500; the watchdog polls every 5 ms (slack for a loaded machine).
        #expect(answer.result.metering.wallNanoseconds >= 1_500_000_000)
        #expect(answer.result.metering.wallNanoseconds < 4_000_000_000)
        #expect(replaced)
        #expect(next.code == "OK")
    }

    @Test func allocatingFourGiBIsTheMemoryLimit() async throws {
        let (answer, replaced, next) = try await hostileCall("alloc")
        #expect(answer.code == "PLUGIN_MEMORY_LIMIT")
        #expect(replaced)
        #expect(next.code == "OK")
    }

    @Test(arguments: ["grow", "growcrash"])
    func growingUntilMallocFailsIsTheMemoryLimit(capability: String) async throws {
        let (answer, replaced, next) = try await hostileCall(capability)
        #expect(answer.code == "PLUGIN_MEMORY_LIMIT")
        #expect(replaced == (capability == "growcrash"))   // a plugin that handles NULL keeps its worker
        #expect(next.code == "OK")
    }

    @Test func aHangingOnInitIsKilledAtTheStartupTimeout() async throws {
        let plugin = try Plugins.hostile()
        let path = try RenumProcessPath.get()
        do {
            _ = try await PluginWorker.start(manifest: plugin.manifest, artifactPath: plugin.path, sha256: plugin.sha256,
                                             config: #"{"hang": true}"#.bytes, services: PolicyDouble(),
                                             options: WorkerOptions(executablePath: path, startupTimeoutMilliseconds: 500))
            Issue.record("a hanging on_init became ready")
        } catch {
            #expect(error.code == "PLUGIN_TIMEOUT")
        }
    }

    @Test func openingASocketIsPolicyDenied() async throws {
        let (answer, replaced, next) = try await hostileCall("socket")
        #expect(answer.code == "POLICY_DENIED")
        #expect(answer.message.contains("socket"))
        #expect(answer.message.contains("SOCKET_FAILED"))   // the plugin saw EPERM and failed
        #expect(!replaced)                                  // a refused call does not cost the worker
        #expect(next.code == "OK")
    }

    @Test func execingAShellIsPolicyDenied() async throws {
        let (answer, _, next) = try await hostileCall("exec")
        #expect(answer.code == "POLICY_DENIED")
        #expect(answer.message.contains("execve"))
        #expect(next.code == "OK")
    }

    @Test func signallingTheHostIsPolicyDenied() async throws {
        let (answer, _, next) = try await hostileCall("killhost")
        #expect(answer.code == "POLICY_DENIED")
        #expect(next.code == "OK")
    }

    @Test func theWorkerRunsAsNobodyAndCannotReadHostSecrets() async throws {
        let (answer, _, _) = try await hostileCall("readshadow")
        #expect(answer.code == "READ_FAILED")
        #expect(answer.message.contains("errno 13"))   // EACCES: not root any more
        let (whoami, _, _) = try await hostileCall("whoami")
        #expect(whoami.json == ["uid": 65534, "cwd_writable": 1])   // its private directory is its own
    }

    @Test func anUndeclaredCredentialIsRefusedByTheHost() async throws {
        let services = PolicyDouble()
        let (answer, _, _) = try await hostileCall("credential", services: services)
        #expect(answer.code == "OK")
        #expect(answer.json?["result"] == 3)   // RENUM_PLUGIN_RESULT_DENIED
        #expect(answer.json?["body"]?["code"] == "CREDENTIAL_NOT_DECLARED")
        #expect(services.seen.withLock { $0.credentials } == ["undeclared"])
    }

    @Test(arguments: ["http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:8080/"])
    func egressReachesTheHostWhichRefusesIt(url: String) async throws {
        let services = PolicyDouble()
        let (answer, _, _) = try await hostileCall("fetch", input: #"{"url": "\#(url)"}"#, services: services)
        #expect(answer.code == "OK")
        #expect(answer.json?["result"] == 3)
        #expect(answer.json?["body"]?["code"] == "EGRESS_DENIED")
        #expect(services.seen.withLock { $0.urls } == [url])
        #expect(services.seen.withLock { $0.callIDs } == ["test"])   // the host's own CallInfo, not the worker's
    }

    @Test func tenMegabytesOfLogAreCappedAndTheCallSucceeds() async throws {
        let services = PolicyDouble()
        let (answer, _, next) = try await hostileCall("logflood", services: services)
        #expect(answer.code == "OK")
        #expect(next.code == "OK")
        let seen = services.seen.withLock { $0 }
        #expect(seen.logLines <= 1_000)
        #expect(seen.logBytes <= 1_100_000)
        #expect(seen.warnings.filter { $0.contains("dropped") }.count == 1)
    }

    @Test func aHealthyNeighbourServesEveryCallMeanwhile() async throws {
        let echoPlugin = try Plugins.echo(), hostile = try Plugins.hostile()
        let echo = try await startWorker(echoPlugin)
        let bad = try await startWorker(hostile)
        let echoes = Task {
            await withTaskGroup(of: String.self) { group in
                for index in 0..<400 {
                    group.addTask {
                        await echo.invoke(capability: "echo", input: #"{"n": \#(index)}"#.bytes, call: callInfo(echoPlugin.manifest, "echo")).code
                    }
                }
                var codes: [String] = []
                for await code in group { codes.append(code) }
                return codes
            }
        }
        var hostileCodes: [String] = []
        for capability in ["segfault", "abort", "socket", "alloc", "exec", "spin", "logflood"] {
            hostileCodes.append(await bad.invoke(capability: capability, input: "{}".bytes, call: callInfo(hostile.manifest, capability)).code)
        }
        let codes = await echoes.value
        #expect(hostileCodes == ["PLUGIN_CRASHED", "PLUGIN_CRASHED", "POLICY_DENIED", "PLUGIN_MEMORY_LIMIT", "POLICY_DENIED", "PLUGIN_TIMEOUT", "OK"])
        #expect(codes.count == 400)
        #expect(codes.allSatisfy { $0 == "OK" || $0 == "CONCURRENCY_LIMIT" })
        #expect(codes.filter { $0 == "OK" }.count >= 16)
        #expect(bad.restarts >= 4)
        await echo.stop()
        await bad.stop()
    }

    @Test func callsInFlightWithATimedOutOneAreCrashedAndTheQueueIsBounded() async throws {
        let plugin = try Plugins.hostile()   // max_concurrency 4
        let worker = try await startWorker(plugin, queueLimit: 1)
        let codes = await withTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask { await worker.invoke(capability: "spin", input: "{}".bytes, call: callInfo(plugin.manifest, "spin")).code }
            }
            var codes: [String] = []
            for await code in group { codes.append(code) }
            return codes
        }
        // 4 run (one times out first, the others die with its worker), 1 waits and then runs
        // on the replacement (and times out), 3 are refused at once.
        #expect(codes.filter { $0 == "CONCURRENCY_LIMIT" }.count == 3)
        #expect(codes.filter { $0 == "PLUGIN_TIMEOUT" }.count >= 2)
        #expect(codes.filter { $0 == "PLUGIN_CRASHED" }.count + codes.filter { $0 == "PLUGIN_TIMEOUT" }.count == 5)
        await worker.stop()
    }
}
