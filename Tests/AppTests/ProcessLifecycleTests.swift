import Foundation
import RenumSandbox
import RenumApp
import RenumTestSupport
import Synchronization
import Testing

/// The real executable: startup errors, SIGTERM draining, and what survives a restart.
@Suite struct ProcessLifecycleTests {
    func environment(dataDir: String, port: Int) -> [String: String] {
        ["RENUM_JWT_SECRET": TestServer.secret, "RENUM_DATA_DIR": dataDir, "RENUM_PORT": String(port),
         "RENUM_LOG_LEVEL": "warning", "PATH": "/usr/bin:/bin"]
    }

    @Test func missingSecretIsAClearErrorAndExit2() async throws {
        let code = await RenumCommand.main(["renum", "serve"], environment: [:])
        #expect(code == 2)
        let short = await RenumCommand.main(["renum", "serve"], environment: ["RENUM_JWT_SECRET": "short"])
        #expect(short == 2)
        let typo = await RenumCommand.main(["renum", "serve", "--prot", "1"], environment: ["RENUM_JWT_SECRET": TestServer.secret])
        #expect(typo == 2)
    }

    @Test func helpExplainsEveryCommand() async throws {
        #expect(await RenumCommand.main(["renum", "--help"]) == 0)
        #expect(await RenumCommand.main(["renum", "serve", "--help"]) == 0)
        #expect(await RenumCommand.main(["renum", "token", "--help"]) == 0)
        #expect(await RenumCommand.main(["renum", "frobnicate"]) == 2)
    }

    @Test func sigtermDrainsAndLosesNoAcknowledgedWrite() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let port = RenumProcess.freePort()
        let renum = try RenumProcess(arguments: ["serve"], environment: environment(dataDir: directory.path, port: port), port: port)
        try await renum.waitUntilHealthy()
        let server = try await TestServer(directory: directory, configure: { _ in })
        let token = server.token()
        await server.stop(removingData: false)

        let client = TestHTTPClient(port: port)
        let acknowledgedSoFar = Counter()
        // Writes race with SIGTERM, sent once ten of them were acknowledged: each write either
        // gets its 201 (and must survive) or is refused.
        let acknowledged = await withTaskGroup(of: String?.self) { group in
            group.addTask {
                while acknowledgedSoFar.value < 10 { try? await Task.sleep(for: .milliseconds(2)) }
                renum.signal(SIGTERM)
                return nil
            }
            for i in 0..<200 {
                group.addTask {
                    let response = try? await client.sendJSON("POST", "/api/v1/integrations", token: token,
                                                              json: ["name": "n\(i)", "type": "generic"])
                    guard response?.status == 201 else { return nil }
                    acknowledgedSoFar.increment()
                    return response?.json["id"] as? String
                }
            }
            return await group.reduce(into: [String]()) { if let id = $1 { $0.append(id) } }
        }
        let status = await renum.waitForExit()
        #expect(status == 0, "renum exited with \(String(describing: status)): \(renum.stderrText().suffix(2000))")
        #expect(!acknowledged.isEmpty)

        // A restart on the same data dir shows every acknowledged integration.
        let restarted = try await TestServer(directory: directory)
        let list = try await restarted.client.sendJSON("GET", "/api/v1/integrations?per_page=100", token: token)
        var stored = Set(((list.json["items"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String })
        var page = 2
        while stored.count < (list.json["total"] as? Int ?? 0) {
            let next = try await restarted.client.sendJSON("GET", "/api/v1/integrations?per_page=100&page=\(page)", token: token)
            stored.formUnion(((next.json["items"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String })
            page += 1
        }
        #expect(Set(acknowledged).isSubset(of: stored), "lost: \(Set(acknowledged).subtracting(stored).count)")
        await restarted.stop(removingData: false)
    }

    @Test func tokenCommandMintsAVerifiableToken() async throws {
        let port = RenumProcess.freePort()
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let minted = try ChildProcess.run(try RenumProcess.executablePath(),
                                          ["token", "--sub", "6f1c1a34-3f34-4f0e-9a55-3f2f1d7c2b11", "--admin", "--ttl", "10m"],
                                          environment: environment(dataDir: directory.path, port: port))
        #expect(minted.status == 0)
        let token = minted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try await TestServer(directory: directory)
        let me = try await server.client.sendJSON("GET", "/api/v1/me", token: token)
        #expect(me.status == 200)
        #expect(me.json["is_admin"] as? Bool == true)
        #expect(me.json["user_id"] as? String == "6f1c1a34-3f34-4f0e-9a55-3f2f1d7c2b11")
        await server.stop(removingData: false)
    }
}

/// A thread-safe count, for tests that react to progress made by concurrent tasks.
final class Counter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func increment() { count.withLock { $0 += 1 } }
}
