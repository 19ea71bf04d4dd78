import Foundation
import Testing
import RenumManifest
import RenumRuntime
import RenumSandbox

@Suite struct RoundTripTests {
    @Test func aNoOpCallRoundTripsThroughASandboxedWorker() async throws {
        let plugin = try Plugins.hostile()
        let worker = try await startWorker(plugin)
        let answer = await worker.invoke(capability: "noop", input: "{}".bytes, call: callInfo(plugin.manifest, "noop"))
        #expect(answer.code == "OK")
        #expect(answer.json == ["ok": true])
        #expect(answer.result.version == plugin.manifest.version)
        #expect(answer.result.metering.wallNanoseconds > 0)
        #expect(answer.peakMemoryBytes > 0)
        let sandbox = try #require(worker.sandbox)
        #expect(sandbox.networkNamespace)   // root on this machine: unshare(CLONE_NEWNET) works
        #expect(sandbox.addressSpaceLimitBytes > 64 << 20)
        await worker.stop()
    }

    @Test func stopEndsTheWorkerProcess() async throws {
        let plugin = try Plugins.hostile()
        let worker = try await startWorker(plugin)
        let pid = try #require(worker.processID)
        #expect(processExists(pid))
        await worker.stop()
        #expect(!processExists(pid))
        let after = await worker.invoke(capability: "noop", input: "{}".bytes, call: callInfo(plugin.manifest, "noop"))
        #expect(after.code == "WORKER_STOPPED")
    }

    @Test func twoVersionsRunSideBySide() async throws {
        let one = try Plugins.hostile(version: "1.0.0"), two = try Plugins.hostile(version: "2.0.0")
        let first = try await startWorker(one), second = try await startWorker(two)
        #expect(first.processID != second.processID)
        let a = await first.invoke(capability: "noop", input: "{}".bytes, call: callInfo(one.manifest, "noop"))
        let b = await second.invoke(capability: "noop", input: "{}".bytes, call: callInfo(two.manifest, "noop"))
        #expect(a.code == "OK" && b.code == "OK")
        #expect(a.result.version?.description == "1.0.0")
        #expect(b.result.version?.description == "2.0.0")
        await first.stop()
        let still = await second.invoke(capability: "noop", input: "{}".bytes, call: callInfo(two.manifest, "noop"))
        #expect(still.code == "OK")
        await second.stop()
    }

    @Test func aWrongDigestIsRefusedInTheWorker() async throws {
        let plugin = try Plugins.hostile()
        let path = try RenumProcessPath.get()
        do {
            _ = try await PluginWorker.start(manifest: plugin.manifest, artifactPath: plugin.path, sha256: String(repeating: "0", count: 64),
                                             services: PolicyDouble(), options: WorkerOptions(executablePath: path))
            Issue.record("a wrong digest was accepted")
        } catch {
            #expect(error.code == "DIGEST_MISMATCH")
        }
    }

    @Test func theCExampleAnswersInAWorker() async throws {
        let plugin = try Plugins.echo()
        let worker = try await startWorker(plugin)
        let echo = await worker.invoke(capability: "echo", input: #"{"a": [1, 2]}"#.bytes, call: callInfo(plugin.manifest, "echo"))
        #expect(echo.json == ["echo": ["a": [1, 2]]])
        let whoami = await worker.invoke(capability: "whoami", input: "{}".bytes, call: callInfo(plugin.manifest, "whoami"))
        #expect(whoami.result.metering.units == ["greeting": 1])
        #expect(whoami.result.metering.hostCalls > 0)
        let fail = await worker.invoke(capability: "fail", input: "{}".bytes, call: callInfo(plugin.manifest, "fail"))
        #expect(fail.code == "EXAMPLE_FAILURE")
        await worker.stop()
    }
}

import RenumTestSupport
enum RenumProcessPath {
    static func get() throws -> String { try RenumProcess.executablePath() }
}
