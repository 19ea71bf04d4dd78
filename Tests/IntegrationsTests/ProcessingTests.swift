import Foundation
import RenumCore
import RenumIntegrations
import RenumStorage
import Testing

@Suite("Webhooks: job processing, retries, dead letters, analytics")
struct ProcessingTests {
    /// Sends one signed WhatsApp text and returns its request id.
    func sendWhatsApp(_ stack: TestStack, _ id: String, wamid: String = "wamid.\(UUID().uuidString)") async throws -> String {
        let body = Payloads.whatsappText(wamid: wamid)
        let response = try await stack.deliver(id, body, headers: [
            "X-Hub-Signature-256": try Signing.whatsapp(secret: "app-secret-abc", body: body)])
        #expect(response.status == 202)
        return response.json["request_id"] as? String ?? ""
    }

    func jobStatus(_ stack: TestStack, _ requestID: String) throws -> String? {
        try stack.rows("SELECT status FROM jobs WHERE request_id = ?", [.text(requestID)]).first?.optionalString("status")
    }

    @Test func deliversNormalisedEnvelopeToTheConfiguredDestination() async throws {
        let stack = try TestStack()
        var config = Payloads.whatsappConfig
        config["destination"] = ["agent_id": "support-bot", "capability": "reply"]
        let created = try await stack.create(["name": "WA", "type": "whatsapp", "config": config], token: stack.token())
        let requestID = try await sendWhatsApp(stack, created.id, wamid: "wamid.ROUTE1")
        #expect(try await stack.eventually { try jobStatus(stack, requestID) == "done" })
        let delivery = try #require(stack.router.deliveries(for: requestID).first)
        #expect(delivery.destination == .agent(id: "support-bot", capability: "reply"))
        #expect(delivery.envelope.platform == .whatsapp)
        #expect(delivery.envelope.sender == "5511987654321")
        #expect(delivery.envelope.providerIDs == ["wamid.ROUTE1"])
        #expect(delivery.integration.id.uuidString.lowercased() == created.id)
        #expect(try stack.rows("SELECT outcome FROM webhook_logs").first?.optionalString("outcome") == "processed")
        await stack.stop()
    }

    @Test func retriesWithBackoffThenSucceeds() async throws {
        let stack = try TestStack()
        let created = try await stack.create(["name": "WA", "type": "whatsapp", "config": Payloads.whatsappConfig], token: stack.token())
        stack.router.failNext(2)
        let requestID = try await sendWhatsApp(stack, created.id)
        #expect(try await stack.eventually { try jobStatus(stack, requestID) == "done" })
        #expect(stack.router.deliveries(for: requestID).count == 3)
        let job = try #require(try stack.rows("SELECT attempts, created_at, completed_at FROM jobs").first)
        #expect(try job.int("attempts") == 3)
        // Two backoffs of at least half of 0.05 s and 0.1 s (equal jitter) separate the attempts.
        let elapsed = try #require(Timestamp.parse(try job.string("completed_at"))).timeIntervalSince(
            try #require(Timestamp.parse(try job.string("created_at"))))
        #expect(elapsed >= 0.07)
        await stack.stop()
    }

    @Test func exhaustionMakesADeadLetterThatReplayDelivers() async throws {
        let stack = try TestStack()
        let token = stack.token()
        let created = try await stack.create(["name": "WA", "type": "whatsapp", "config": Payloads.whatsappConfig], token: token)
        stack.router.failNext(5)
        let requestID = try await sendWhatsApp(stack, created.id)
        #expect(try await stack.eventually { try jobStatus(stack, requestID) == "dead" })
        #expect(stack.router.deliveries(for: requestID).count == 5)
        let dead = try await stack.client.sendJSON("GET", "/api/v1/integrations/\(created.id)/logs?outcome=dead", token: token)
        #expect(dead.json["total"] as? Int == 1)
        let entry = (dead.json["items"] as? [[String: Any]])?.first
        #expect(entry?["job_status"] as? String == "dead")
        #expect((entry?["error"] as? String)?.contains("agent_unavailable") == true)

        let replay = try await stack.client.sendJSON("POST", "/api/v1/integrations/\(created.id)/replay", token: token,
                                                     json: ["dead_letters": true])
        #expect(replay.status == 202)
        #expect(replay.json["requeued"] as? Int == 1)
        #expect(try await stack.eventually { try jobStatus(stack, requestID) == "done" })
        #expect(stack.router.deliveries(for: requestID).count == 6)
        // Counted once: the failure became a success, not a second request.
        let analytics = try await stack.client.sendJSON("GET", "/api/v1/integrations/\(created.id)/analytics?days=30", token: token)
        let totals = analytics.json["totals"] as? [String: Any]
        #expect(totals?["total"] as? Int == 1)
        #expect(totals?["successful"] as? Int == 1)
        #expect(totals?["failed"] as? Int == 0)
        await stack.stop()
    }

    @Test func nonRetryableFailureIsDeadAtOnceAndReplayByLogID() async throws {
        let stack = try TestStack()
        let token = stack.token()
        let created = try await stack.create(["name": "WA", "type": "whatsapp", "config": Payloads.whatsappConfig], token: token)
        stack.router.failNext(1, retryable: false)
        let requestID = try await sendWhatsApp(stack, created.id)
        #expect(try await stack.eventually { try jobStatus(stack, requestID) == "dead" })
        #expect(stack.router.deliveries(for: requestID).count == 1)
        let logID = try #require(try stack.rows("SELECT id FROM webhook_logs").first?.optionalString("id"))
        let missing = try await stack.client.sendJSON("POST", "/api/v1/integrations/\(created.id)/replay", token: token,
                                                      json: ["log_id": UUID().uuidString])
        #expect(missing.status == 404)
        let replay = try await stack.client.sendJSON("POST", "/api/v1/integrations/\(created.id)/replay", token: token,
                                                     json: ["log_id": logID])
        #expect(replay.status == 202)
        #expect(try await stack.eventually { try jobStatus(stack, requestID) == "done" })
        let bad = try await stack.client.sendJSON("POST", "/api/v1/integrations/\(created.id)/replay", token: token,
                                                  json: ["dead_letters": true, "log_id": logID])
        #expect(bad.status == 422)
        let range = try await stack.client.sendJSON("POST", "/api/v1/integrations/\(created.id)/replay", token: token,
                                                    json: ["from": "2020-01-01T00:00:00Z", "to": "2100-01-01T00:00:00Z"])
        #expect(range.json["requeued"] as? Int == 1)
        #expect(try await stack.eventually { stack.router.deliveries(for: requestID).count == 3 })
        await stack.stop()
    }

    @Test func anExpiredLeaseIsTakenAgainAndRecordedOnce() async throws {
        let stack = try TestStack { $0.leaseSeconds = 0.5; $0.workerCount = 2 }
        let token = stack.token()
        let created = try await stack.create(["name": "WA", "type": "whatsapp", "config": Payloads.whatsappConfig], token: token)
        // The first delivery outlives its lease, like a worker that died holding the job.
        stack.router.hangNext(1, seconds: 2)
        let requestID = try await sendWhatsApp(stack, created.id)
        #expect(try await stack.eventually { stack.router.deliveries(for: requestID).count >= 2 })
        #expect(try await stack.eventually { try jobStatus(stack, requestID) == "done" })
        try await Task.sleep(nanoseconds: 2_200_000_000)   // let the hung worker come back and try to record
        let job = try #require(try stack.rows("SELECT status, attempts FROM jobs").first)
        #expect(job.optionalString("status") == "done")
        #expect(try job.int("attempts") == 2)
        let analytics = try await stack.client.sendJSON("GET", "/api/v1/integrations/\(created.id)/analytics", token: token)
        #expect((analytics.json["totals"] as? [String: Any])?["total"] as? Int == 1)
        await stack.stop()
    }

    @Test func repeatedDeadJobsTurnTheIntegrationToErrorAndSuccessRestoresIt() async throws {
        let stack = try TestStack { $0.errorThreshold = 2; $0.maxAttempts = 1 }
        let token = stack.token()
        let created = try await stack.create(["name": "WA", "type": "whatsapp", "config": Payloads.whatsappConfig], token: token)
        stack.router.failNext(2)
        let first = try await sendWhatsApp(stack, created.id)
        #expect(try await stack.eventually { try jobStatus(stack, first) == "dead" })
        let second = try await sendWhatsApp(stack, created.id)
        #expect(try await stack.eventually { try jobStatus(stack, second) == "dead" })
        let errored = try await stack.client.sendJSON("GET", "/api/v1/integrations/\(created.id)", token: token)
        #expect(errored.json["status"] as? String == "error")
        // Still accepting: an errored integration is reported, not switched off.
        let third = try await sendWhatsApp(stack, created.id)
        #expect(try await stack.eventually { try jobStatus(stack, third) == "done" })
        let healed = try await stack.client.sendJSON("GET", "/api/v1/integrations/\(created.id)", token: token)
        #expect(healed.json["status"] as? String == "active")
        await stack.stop()
    }

    @Test func analyticsCountEachRequestOnce() async throws {
        let stack = try TestStack { $0.maxAttempts = 1 }
        let token = stack.token()
        let created = try await stack.create(["name": "WA", "type": "whatsapp", "config": Payloads.whatsappConfig], token: token)
        var ids: [String] = []
        for _ in 0..<3 { ids.append(try await sendWhatsApp(stack, created.id)) }
        #expect(try await stack.eventually { try ids.allSatisfy { try jobStatus(stack, $0) == "done" } })
        stack.router.failNext(1)
        let failed = try await sendWhatsApp(stack, created.id)
        #expect(try await stack.eventually { try jobStatus(stack, failed) == "dead" })
        _ = try await stack.deliver(created.id, Payloads.whatsappText(), headers: ["X-Hub-Signature-256": "sha256=11"])
        let analytics = try await stack.client.sendJSON("GET", "/api/v1/integrations/\(created.id)/analytics?days=7", token: token)
        #expect(analytics.status == 200)
        let items = analytics.json["items"] as? [[String: Any]] ?? []
        #expect(items.count == 1)
        #expect(items.first?["day"] as? String == String(Timestamp.now().prefix(10)))
        #expect(items.first?["total"] as? Int == 5)
        #expect(items.first?["successful"] as? Int == 3)
        #expect(items.first?["failed"] as? Int == 2)
        #expect((items.first?["cost"] as? Double ?? 0) == 0.75)
        #expect(try await stack.client.sendJSON("GET", "/api/v1/integrations/\(created.id)/analytics?days=0", token: token).status == 422)
        await stack.stop()
    }
}
