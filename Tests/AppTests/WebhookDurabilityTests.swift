import Foundation
import RenumCore
import RenumSecurity
import RenumStorage
import RenumTestSupport
import Synchronization
import Testing

/// Issue 6's durability promise through the real executable: SIGKILL in the middle of a load
/// of signed WhatsApp webhooks; after a restart on the same data dir, every request that got a
/// 202 has its log row and its job, and every job is finished exactly once.
@Suite struct WebhookDurabilityTests {
    static let appSecret = "durability-app-secret"

    func environment(_ directory: TemporaryDirectory, port: Int) -> [String: String] {
        ["RENUM_JWT_SECRET": TestServer.secret, "RENUM_DATA_DIR": directory.path, "RENUM_PORT": String(port),
         "RENUM_LOG_LEVEL": "warning", "RENUM_WEBHOOK_RETRY_INITIAL_SECONDS": "0.05",
         // Jobs the killed process had leased are taken again when their lease expires.
         "RENUM_WEBHOOK_LEASE_SECONDS": "2", "PATH": "/usr/bin:/bin"]
    }

    /// A WhatsApp message payload with a unique wamid, as Meta sends it.
    static func payload(_ n: Int) -> [UInt8] {
        Array(#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"1"},"contacts":[{"profile":{"name":"Ada"},"wa_id":"5511987654321"}],"messages":[{"from":"5511987654321","id":"wamid.durability.\#(n)","timestamp":"1700000000","type":"text","text":{"body":"hello \#(n)"}}]}}]}]}"#.utf8)
    }

    @Test func sigkillLosesNoAcknowledgedWebhook() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let port = RenumProcess.freePort()
        var renum = try RenumProcess(arguments: ["serve"], environment: environment(directory, port: port), port: port)
        try await renum.waitUntilHealthy()

        // Set up through the API of the real process: an agent, and an integration routed to it.
        let tokens = TestServerTokens()
        let client = TestHTTPClient(port: port)
        let admin = tokens.mint(admin: true), owner = tokens.mint()
        let manifest = agentManifest("durable-sink", version: "1.0.0")
        let library = try CTestPlugin.compile(manifestText: manifest, directory: directory.path, name: "libsink.so")
        _ = try await client.send("POST", "/api/v1/agents", headers: ["Authorization": "Bearer \(admin)", "Content-Type": "application/json"], body: Array(manifest.utf8))
        _ = try await client.send("PUT", "/api/v1/agents/durable-sink/versions/1.0.0/artifact",
                                  headers: ["Authorization": "Bearer \(admin)", "Content-Type": "application/octet-stream"],
                                  body: [UInt8](try Data(contentsOf: URL(fileURLWithPath: library))))
        _ = try await client.sendJSON("PUT", "/api/v1/agents/durable-sink/stage?version=1.0.0", token: admin)
        #expect(try await client.sendJSON("PUT", "/api/v1/agents/durable-sink/approve?version=1.0.0", token: admin).status == 200)
        let created = try await client.sendJSON("POST", "/api/v1/integrations", token: owner, json: [
            "name": "durability", "type": "whatsapp", "rate_limit_per_minute": 100000,
            "config": ["business_phone_number": "+15550783881", "access_token": "a", "webhook_verify_token": "v",
                       "app_secret": Self.appSecret, "destination": ["agent_id": "durable-sink", "capability": "noop"]]])
        let id = try #require(created.json["id"] as? String)

        // Load from many clients; SIGKILL once a good number were acknowledged.
        let acknowledged = RequestIDs()
        let first = renum
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while acknowledged.count < 40 { try? await Task.sleep(for: .milliseconds(2)) }
                first.signal(SIGKILL)
                acknowledged.stop()
            }
            for worker in 0..<16 {
                group.addTask {
                    for i in 0..<60 {
                        if acknowledged.stopped { return }
                        let body = Self.payload(worker * 1000 + i)
                        let signature = "sha256=" + Hex.encode(Crypto.hmacSHA256(key: Array(Self.appSecret.utf8), message: body))
                        guard let response = try? await client.send("POST", "/api/v1/webhook/\(id)", headers: [
                            "Content-Type": "application/json", "X-Hub-Signature-256": signature], body: body, timeout: 5),
                              response.status == 202, let requestID = response.json["request_id"] as? String else { continue }
                        acknowledged.append(requestID)
                    }
                }
            }
        }
        _ = await first.waitForExit()
        let accepted = acknowledged.all
        #expect(accepted.count >= 40)

        // Restart on the same data dir: the workers finish what was queued.
        renum = try RenumProcess(arguments: ["serve"], environment: environment(directory, port: port), port: port)
        try await renum.waitUntilHealthy()
        let store = try SQLiteStore(SQLiteConfiguration(path: directory.file("renum.sqlite3")))
        let deadline = Date().addingTimeInterval(60)
        var pending = -1
        while Date() < deadline {
            pending = Int(try store.read { db in try db.queryFirst("SELECT COUNT(*) AS n FROM jobs WHERE status IN ('queued', 'leased')")?.int("n") ?? 0 })
            if pending == 0 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(pending == 0, "jobs still queued or leased after the restart")
        var problems: [String] = []
        for requestID in accepted {
            let (logs, jobs) = try store.read { db in
                (try db.queryFirst("SELECT COUNT(*) AS n FROM webhook_logs WHERE request_id = ?", [.text(requestID)])?.int("n") ?? 0,
                 try db.query("SELECT status, counted_day FROM jobs WHERE request_id = ?", [.text(requestID)]))
            }
            if logs != 1 { problems.append("\(requestID): \(logs) log rows") }
            if jobs.count != 1 { problems.append("\(requestID): \(jobs.count) jobs") }
            if jobs.first?.optionalString("status") != "done" { problems.append("\(requestID): job \(jobs.first?.optionalString("status") ?? "missing")") }
            if jobs.first?.optionalString("counted_day") == nil { problems.append("\(requestID): never counted") }
        }
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        // Counted once each: the analytics total equals the finished jobs (no rejected requests here).
        let (finished, counted) = try store.read { db in
            (try db.queryFirst("SELECT COUNT(*) AS n FROM jobs WHERE status IN ('done', 'dead')")?.int("n") ?? -1,
             try db.queryFirst("SELECT COALESCE(SUM(total), 0) AS n FROM integration_analytics")?.int("n") ?? -2)
        }
        #expect(finished == counted)
        await store.close()
        renum.signal(SIGTERM)
        _ = await renum.waitForExit()
    }
}

/// Tokens for a server started as a separate process with `TestServer.secret`.
struct TestServerTokens {
    let issuer = JWTIssuer(JWTConfiguration(secret: Array(TestServer.secret.utf8)))
    func mint(admin: Bool = false) -> String { issuer.mint(subject: UUID(), admin: admin) }
}

/// Request ids acknowledged so far, and whether the load should stop.
final class RequestIDs: Sendable {
    private let state = Mutex<(ids: [String], stopped: Bool)>(([], false))
    var count: Int { state.withLock { $0.ids.count } }
    var all: [String] { state.withLock { $0.ids } }
    var stopped: Bool { state.withLock { $0.stopped } }
    func append(_ id: String) { state.withLock { $0.ids.append(id) } }
    func stop() { state.withLock { $0.stopped = true } }
}
