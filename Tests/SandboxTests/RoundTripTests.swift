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

    /// What /proc says about a running worker (the kernel's view, not the worker's report).
    @Test func theKernelSeesTheSandbox() async throws {
        let plugin = try Plugins.hostile()
        let worker = try await startWorker(plugin)
        let pid = try #require(worker.processID)
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        // Every thread, not only the leader: namespace, identity and filter hold process-wide.
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")
        #expect(tasks.count > 1)
        let hostNet = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/net")
        for task in tasks {
            let taskStatus = try String(contentsOfFile: "/proc/\(pid)/task/\(task)/status", encoding: .utf8)
            #expect(taskStatus.contains("Uid:\t65534\t65534\t65534\t65534"))
            #expect(taskStatus.contains("Seccomp:\t2"))
            #expect(taskStatus.contains("CapEff:\t0000000000000000"))
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/task/\(task)/ns/net") != hostNet)
        }
        func field(_ name: String) -> String? {
            status.split(separator: "\n").first { $0.hasPrefix(name + ":") }.map { $0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces) }
        }
        #expect(field("Seccomp") == "2")                          // filter mode
        #expect(field("NoNewPrivs") == "1")
        #expect(field("Uid")?.hasPrefix("65534") == true)         // nobody
        #expect(field("CapEff") == "0000000000000000")            // no capabilities left
        let net = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/net")
        #expect(net != (try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/net")))
        let cwd = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd")
        #expect(cwd.hasPrefix("/tmp/renum-worker-"))
        let attributes = try FileManager.default.attributesOfItem(atPath: cwd)
        #expect((attributes[.posixPermissions] as? Int) == 0o700)
        let environment = try String(contentsOfFile: "/proc/\(pid)/environ", encoding: .utf8).split(separator: "\0").map(String.init)
        #expect(environment.map { $0.split(separator: "=")[0] }.sorted() == ["HOME", "LANG", "MALLOC_ARENA_MAX", "PATH", "SWIFT_BACKTRACE", "TMPDIR"])
        let limits = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
        #expect(limits.split(separator: "\n").first { $0.hasPrefix("Max open files") }?.contains("32") == true)
        #expect(limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") }?.contains(" 0 ") == true)
        await worker.stop()
        #expect(!FileManager.default.fileExists(atPath: cwd))     // removed with the worker
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
