import Foundation
import RenumStorage
import Testing

@Suite("Webhooks: durable ingestion, idempotency, rate limits")
struct IngestionTests {
    @Test func accepted202OnlyAfterLogAndJobAreCommitted() async throws {
        let stack = try TestStack(startWorkers: false)
        let created = try await stack.create(["name": "WA", "type": "whatsapp", "config": Payloads.whatsappConfig], token: stack.token())
        let body = Payloads.whatsappText(wamid: "wamid.DURABLE1")
        let response = try await stack.deliver(created.id, body, headers: [
            "X-Hub-Signature-256": try Signing.whatsapp(secret: "app-secret-abc", body: body)])
        #expect(response.status == 202)
        let requestID = try #require(response.json["request_id"] as? String)
        // A second, independent store on the same file: what a restarted process would find.
        let other = try SQLiteStore(SQLiteConfiguration(path: stack.databasePath))
        let found = try other.read { db in
            try db.query("""
                SELECT l.method, l.provider_event_id, l.sealed_body, j.status FROM webhook_logs l
                JOIN jobs j ON j.webhook_log_id = l.id WHERE l.request_id = ? AND j.request_id = ?
                """, [.text(requestID), .text(requestID)])
        }
        await other.close()
        #expect(found.count == 1)
        #expect(try found.first?.string("method") == "POST")
        #expect(found.first?.optionalString("provider_event_id") == "wamid.DURABLE1")
        #expect(found.first?.optionalString("status") == "queued")
        let sealed = try #require(found.first?.blob("sealed_body"))
        #expect(!String(decoding: sealed, as: UTF8.self).contains("wamid.DURABLE1"), "the body is stored in clear")
        await stack.stop()
    }

    @Test func sequentialDuplicatesAnswerTheFirstRequestID() async throws {
        let stack = try TestStack(startWorkers: false)
        let token = stack.token()
        let tg = try await stack.create(["name": "TG", "type": "telegram",
                                         "config": ["bot_token": "1:x", "webhook_secret": "sec"]], token: token)
        let first = try await stack.deliver(tg.id, Payloads.telegram(updateID: 77), headers: ["X-Telegram-Bot-Api-Secret-Token": "sec"])
        let second = try await stack.deliver(tg.id, Payloads.telegram(updateID: 77), headers: ["X-Telegram-Bot-Api-Secret-Token": "sec"])
        #expect(first.status == 202)
        #expect(second.status == 200)
        #expect(second.json["duplicate"] as? Bool == true)
        #expect(second.json["request_id"] as? String == first.json["request_id"] as? String)
        // Idempotency-Key on a platform without provider ids.
        let zap = try await stack.create(["name": "z", "type": "zapier"], token: token)
        let auth = "Bearer \(zap.token)"
        let a = try await stack.deliver(zap.id, Array(#"{"n":1}"#.utf8), headers: ["Authorization": auth, "Idempotency-Key": "order-1"])
        let b = try await stack.deliver(zap.id, Array(#"{"n":2}"#.utf8), headers: ["Authorization": auth, "Idempotency-Key": "order-1"])
        let c = try await stack.deliver(zap.id, Array(#"{"n":3}"#.utf8), headers: ["Authorization": auth, "Idempotency-Key": "order-2"])
        #expect(a.status == 202 && b.status == 200 && c.status == 202)
        #expect(b.json["request_id"] as? String == a.json["request_id"] as? String)
        // The same key on another integration is not a duplicate there.
        let first2 = try await stack.deliver(zap.id, Array(#"{"n":4}"#.utf8), headers: ["Authorization": auth, "Idempotency-Key": "77"])
        #expect(first2.status == 202)
        #expect(try stack.rows("SELECT COUNT(*) AS n FROM jobs").first?.int("n") == 4)
        await stack.stop()
    }

    @Test func concurrentDuplicatesAcceptExactlyOne() async throws {
        let stack = try TestStack(startWorkers: false)
        let created = try await stack.create(["name": "WA", "type": "whatsapp", "config": Payloads.whatsappConfig], token: stack.token())
        let body = Payloads.whatsappText(wamid: "wamid.RACE")
        let headers = ["X-Hub-Signature-256": try Signing.whatsapp(secret: "app-secret-abc", body: body)]
        let id = created.id
        let responses = try await withThrowingTaskGroup(of: (Int, String?, Bool).self) { group in
            for _ in 0..<30 {
                group.addTask {
                    let r = try await stack.deliver(id, body, headers: headers)
                    return (r.status, r.json["request_id"] as? String, r.json["duplicate"] as? Bool ?? false)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let accepted = responses.filter { $0.0 == 202 }
        #expect(accepted.count == 1)
        #expect(responses.filter { $0.0 == 200 && $0.2 }.count == 29)
        #expect(Set(responses.compactMap(\.1)).count == 1, "duplicates must name the accepted request")
        #expect(try stack.rows("SELECT COUNT(*) AS n FROM jobs").first?.int("n") == 1)
        #expect(try stack.rows("SELECT COUNT(*) AS n FROM webhook_logs").first?.int("n") == 1)
        await stack.stop()
    }

    @Test func rateLimitIsExactUnderConcurrency() async throws {
        let stack = try TestStack(startWorkers: false)
        let zap = try await stack.create(["name": "z", "type": "zapier", "rate_limit_per_minute": 20], token: stack.token())
        let (id, auth) = (zap.id, "Bearer \(zap.token)")
        let statuses = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
            for i in 0..<80 {
                group.addTask {
                    let r = try await stack.deliver(id, Array(#"{"i":\#(i)}"#.utf8), headers: ["Authorization": auth])
                    return (r.status, r.headers["retry-after"])
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.filter { $0.0 == 202 }.count == 20)
        let limited = statuses.filter { $0.0 == 429 }
        #expect(limited.count == 60)
        #expect(limited.allSatisfy { ($0.1.flatMap(Int.init) ?? 0) >= 1 })
        #expect(try stack.rows("SELECT COUNT(*) AS n FROM jobs").first?.int("n") == 20)
        await stack.stop()
    }

    @Test func logsAreMaskedAndPaged() async throws {
        let stack = try TestStack(startWorkers: false)
        let token = stack.token()
        let created = try await stack.create(["name": "WA", "type": "whatsapp", "config": Payloads.whatsappConfig], token: token)
        for _ in 0..<3 {
            let body = Payloads.whatsappText()
            _ = try await stack.deliver(created.id, body, headers: [
                "X-Hub-Signature-256": try Signing.whatsapp(secret: "app-secret-abc", body: body)])
        }
        _ = try await stack.deliver(created.id, Payloads.whatsappText(), headers: ["X-Hub-Signature-256": "sha256=00"])
        let page = try await stack.client.sendJSON("GET", "/api/v1/integrations/\(created.id)/logs?page=1&per_page=2", token: token)
        #expect(page.status == 200)
        #expect(page.json["total"] as? Int == 4)
        let items = page.json["items"] as? [[String: Any]] ?? []
        #expect(items.count == 2)
        #expect(items.first?["outcome"] as? String == "rejected", "newest first")
        #expect(items.allSatisfy { ($0["request_id"] as? String)?.isEmpty == false })
        let all = try await stack.client.sendJSON("GET", "/api/v1/integrations/\(created.id)/logs?per_page=100", token: token)
        let stored = try stack.rows("SELECT headers, payload, error_message FROM webhook_logs").map {
            ($0.optionalString("headers") ?? "") + ($0.optionalString("payload") ?? "") + ($0.optionalString("error_message") ?? "")
        }.joined()
        for text in [all.text, stored, stack.logs.lines.joined()] {
            for personal in ["5511987654321", "98765-4321", "joana.silva@example.com", "app-secret-abc", "sha256=00"] {
                #expect(!text.contains(personal), "\(personal) leaked")
            }
        }
        let rejected = try await stack.client.sendJSON("GET", "/api/v1/integrations/\(created.id)/logs?outcome=rejected", token: token)
        #expect(rejected.json["total"] as? Int == 1)
        await stack.stop()
    }
}
