import Foundation
import RenumStorage
import Testing

@Suite("Webhooks: per-platform verification on the raw body")
struct VerificationTests {
    @Test func whatsappMessagesAndStatusesSignedIndependently() async throws {
        let stack = try TestStack(startWorkers: false)
        let created = try await stack.create(["name": "WA", "type": "whatsapp", "config": Payloads.whatsappConfig], token: stack.token())
        for body in [Payloads.whatsappText(), Payloads.whatsappStatus()] {
            let signature = try Signing.whatsapp(secret: "app-secret-abc", body: body)
            let response = try await stack.deliver(created.id, body, headers: ["X-Hub-Signature-256": signature])
            #expect(response.status == 202)
            #expect((response.json["request_id"] as? String)?.isEmpty == false)
            #expect(response.headers["ratelimit-limit"] == "60")
        }
        let body = Payloads.whatsappText()
        let good = try Signing.whatsapp(secret: "app-secret-abc", body: body)
        var tampered = body
        tampered[tampered.count - 3] ^= 1
        let refusals: [([UInt8], [String: String], String)] = [
            (body, [:], "missing_signature"),
            (body, ["X-Hub-Signature-256": try Signing.whatsapp(secret: "wrong", body: body)], "bad_signature"),
            (tampered, ["X-Hub-Signature-256": good], "bad_signature"),
        ]
        for (payload, headers, reason) in refusals {
            let response = try await stack.deliver(created.id, payload, headers: headers)
            #expect(response.status == 401)
            #expect(response.json["code"] as? String == "WEBHOOK_VERIFICATION_FAILED")
            #expect((response.json["details"] as? [String: Any])?["reason"] as? String == reason)
        }
        let rejected = try stack.rows("SELECT COUNT(*) AS n FROM webhook_logs WHERE outcome = 'rejected'").first?.int("n")
        #expect(rejected == 3)
        #expect(try stack.rows("SELECT COUNT(*) AS n FROM jobs").first?.int("n") == 2, "a refused delivery made a job")
        #expect(stack.metrics.value("renum_webhook_deliveries_total", [("outcome", "rejected")]) == 3)
        await stack.stop()
    }

    @Test func platformSuffixMustMatchTheType() async throws {
        let stack = try TestStack(startWorkers: false)
        let created = try await stack.create(["name": "WA", "type": "whatsapp", "config": Payloads.whatsappConfig], token: stack.token())
        let body = Payloads.whatsappText()
        let headers = ["X-Hub-Signature-256": try Signing.whatsapp(secret: "app-secret-abc", body: body)]
        #expect(try await stack.deliver(created.id, body, headers: headers, platform: "telegram").status == 404)
        #expect(try await stack.deliver(created.id, body, headers: headers, platform: "whatsapp").status == 202)
        #expect(try await stack.deliver(UUID().uuidString.lowercased(), body, headers: headers).status == 404)
        await stack.stop()
    }

    @Test func telegramSecretToken() async throws {
        let stack = try TestStack(startWorkers: false)
        let created = try await stack.create(["name": "TG", "type": "telegram",
                                              "config": ["bot_token": "123:ABC", "webhook_secret": "tg_Secret-1"]], token: stack.token())
        #expect(try await stack.deliver(created.id, Payloads.telegram(updateID: 10),
                                        headers: ["X-Telegram-Bot-Api-Secret-Token": "tg_Secret-1"]).status == 202)
        #expect(try await stack.deliver(created.id, Payloads.telegram(updateID: 11),
                                        headers: ["X-Telegram-Bot-Api-Secret-Token": "tg_Secret-2"]).status == 401)
        #expect(try await stack.deliver(created.id, Payloads.telegram(updateID: 12), headers: [:]).status == 401)
        await stack.stop()
    }

    @Test func whatsappHandshake() async throws {
        let stack = try TestStack(startWorkers: false)
        let created = try await stack.create(["name": "WA", "type": "whatsapp", "config": Payloads.whatsappConfig], token: stack.token())
        let base = "/api/v1/webhook/\(created.id)"
        let ok = try await stack.client.send("GET", base + "?hub.mode=subscribe&hub.verify_token=verify-me-123&hub.challenge=1158201444")
        #expect(ok.status == 200)
        #expect(ok.text == "1158201444")
        #expect(ok.headers["content-type"]?.hasPrefix("text/plain") == true)
        #expect(try await stack.client.send("GET", base + "?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1").status == 403)
        #expect(try await stack.client.send("GET", base + "?hub.mode=unsubscribe&hub.verify_token=verify-me-123&hub.challenge=1").status == 403)
        await stack.stop()
    }

    @Test func standardWebhooksVectorFromProtocols() async throws {
        // The vector's timestamp is from 2021: accepted only with a tolerance that reaches it,
        // refused as stale with the default five minutes.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        let body = Array(#"{"test": 2432232314}"#.utf8)
        let headers = ["webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp": "1614265330",
                       "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="]
        #expect(try Signing.standard(secret: secret, id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1614265330, body: body)
                == headers["webhook-signature"])
        let lenient = try TestStack(startWorkers: false) { $0.timestampTolerance = 20 * 365 * 86_400 }
        let a = try await lenient.create(["name": "g", "type": "generic", "config": ["signing_secret": secret]], token: lenient.token())
        #expect(try await lenient.deliver(a.id, body, headers: headers).status == 202)
        let again = try await lenient.deliver(a.id, body, headers: headers)
        #expect(again.status == 200 && again.json["duplicate"] as? Bool == true)
        await lenient.stop()

        let strict = try TestStack(startWorkers: false)
        let b = try await strict.create(["name": "g", "type": "generic", "config": ["signing_secret": secret]], token: strict.token())
        let stale = try await strict.deliver(b.id, body, headers: headers)
        #expect(stale.status == 401)
        #expect((stale.json["details"] as? [String: Any])?["reason"] as? String == "stale_timestamp")
        await strict.stop()
    }

    @Test func standardWebhooksKeyRotationWithTwoSignatures() async throws {
        let stack = try TestStack(startWorkers: false)
        let current = "whsec_" + Data((0..<32).map { UInt8($0) }).base64EncodedString()
        let previous = "whsec_" + Data((0..<32).map { UInt8(255 - $0) }).base64EncodedString()
        let created = try await stack.create(["name": "n", "type": "make", "config": ["signing_secret": current]], token: stack.token())
        let now = Int(Date().timeIntervalSince1970)
        func send(_ id: String, signatures: [String], timestamp: Int) async throws -> Int {
            let body = Array(#"{"text":"rotated \#(id)"}"#.utf8)
            let signed = try signatures.map { try Signing.standard(secret: $0, id: id, timestamp: timestamp, body: body) }
            return try await stack.deliver(created.id, body, headers: [
                "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": signed.joined(separator: " ")]).status
        }
        #expect(try await send("msg_1", signatures: [previous, current], timestamp: now) == 202)
        #expect(try await send("msg_2", signatures: [current, previous], timestamp: now) == 202)
        #expect(try await send("msg_3", signatures: [previous], timestamp: now) == 401)
        #expect(try await send("msg_4", signatures: [current], timestamp: now - 600) == 401)
        #expect(try await send("msg_5", signatures: [current], timestamp: now + 600) == 401)
        await stack.stop()
    }

    @Test func automationPlatformsCredentials() async throws {
        let stack = try TestStack(startWorkers: false)
        let token = stack.token()
        let body = Array(#"{"text":"hello"}"#.utf8)
        let make = try await stack.create(["name": "m", "type": "make", "config": ["api_key": "mk-123"]], token: token)
        #expect(try await stack.deliver(make.id, body, headers: ["x-make-apikey": "mk-123"]).status == 202)
        #expect(try await stack.deliver(make.id, body, headers: ["x-make-apikey": "mk-124"]).status == 401)
        let n8n = try await stack.create(["name": "n", "type": "n8n",
                                          "config": ["auth": ["type": "header", "name": "X-N8N-Key", "value": "hv"]]], token: token)
        #expect(try await stack.deliver(n8n.id, body, headers: ["X-N8N-Key": "hv"]).status == 202)
        #expect(try await stack.deliver(n8n.id, body, headers: ["X-N8N-Key": "hx"]).status == 401)
        let basic = try await stack.create(["name": "b", "type": "n8n",
                                            "config": ["auth": ["type": "basic", "username": "u", "password": "p"]]], token: token)
        let credentials = Data("u:p".utf8).base64EncodedString()
        #expect(try await stack.deliver(basic.id, body, headers: ["Authorization": "Basic \(credentials)"]).status == 202)
        let zap = try await stack.create(["name": "z", "type": "zapier"], token: token)
        #expect(try await stack.deliver(zap.id, body, headers: ["Authorization": "Bearer \(zap.token)"]).status == 202)
        #expect(try await stack.deliver(zap.id, body, headers: ["Authorization": "Bearer \(make.token)"]).status == 401)
        await stack.stop()
    }

    @Test func inactiveIntegrationAnswers410AndProcessesNothing() async throws {
        let stack = try TestStack()
        let token = stack.token()
        let zap = try await stack.create(["name": "z", "type": "zapier"], token: token)
        let off = try await stack.client.sendJSON("PUT", "/api/v1/integrations/\(zap.id)", token: token, json: ["status": "inactive"])
        #expect(off.status == 200)
        let response = try await stack.deliver(zap.id, Array(#"{"text":"x"}"#.utf8), headers: ["Authorization": "Bearer \(zap.token)"])
        #expect(response.status == 410)
        #expect(try stack.rows("SELECT COUNT(*) AS n FROM webhook_logs").first?.int("n") == 0)
        #expect(try stack.rows("SELECT COUNT(*) AS n FROM jobs").first?.int("n") == 0)
        #expect(stack.router.deliveries.isEmpty)
        await stack.stop()
    }
}
