import Foundation
import RenumCore
import RenumTestSupport
import Testing

/// A platform's webhook through the real server: verified, logged and queued, then delivered
/// to a real agent (a compiled plugin in a sandboxed worker) by the job workers.
@Suite struct WebhookFlowTests {
    @Test func aTelegramUpdateReachesItsAgent() async throws {
        let server = try await TestServer()
        try await server.publish("tg-agent", version: "1.0.0")
        let owner = server.token()
        let created = try await server.client.sendJSON("POST", "/api/v1/integrations", token: owner, json: [
            "name": "Support bot", "type": "telegram",
            "config": ["bot_token": "123456:bot-token-value", "webhook_secret": "the-telegram-secret",
                       "destination": ["agent_id": "tg-agent", "capability": "noop"]]])
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.json["id"] as? String)
        #expect(!created.text.contains("the-telegram-secret"))

        let update = #"{"update_id": 9001, "message": {"message_id": 1, "from": {"id": 42, "is_bot": false, "first_name": "Ada"}, "chat": {"id": 42, "type": "private"}, "date": 1700000000, "text": "hello +55 11 98765-4321"}}"#
        let refused = try await server.client.send("POST", "/api/v1/webhook/\(id)", headers: [
            "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "wrong"], body: Array(update.utf8))
        #expect(refused.status == 401)
        let accepted = try await server.client.send("POST", "/api/v1/webhook/\(id)", headers: [
            "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "the-telegram-secret"], body: Array(update.utf8))
        #expect(accepted.status == 202, "\(accepted.text)")
        let requestID = try #require(accepted.json["request_id"] as? String)
        let repeated = try await server.client.send("POST", "/api/v1/webhook/\(id)", headers: [
            "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "the-telegram-secret"], body: Array(update.utf8))
        #expect(repeated.status == 200)
        #expect(repeated.json["duplicate"] as? Bool == true)
        #expect(repeated.json["request_id"] as? String == requestID)

        // The job worker delivers it to the agent; the log says so, with the phone number masked.
        var outcome: String?
        var logsText = ""
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let logs = try await server.client.sendJSON("GET", "/api/v1/integrations/\(id)/logs", token: owner)
            logsText = logs.text
            outcome = (logs.json["items"] as? [[String: Any]])?.first { $0["request_id"] as? String == requestID }?["outcome"] as? String
            if outcome == "processed" { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(outcome == "processed", "\(logsText.prefix(600))")
        #expect(!logsText.contains("98765-4321"))
        let metrics = try await server.client.send("GET", "/metrics").text
        #expect(metrics.contains(#"renum_plugin_invocations_total{agent="tg-agent",version="1.0.0",outcome="OK"} 1"#))
        let other = server.token()
        #expect(try await server.client.sendJSON("GET", "/api/v1/integrations/\(id)/logs", token: other).status == 404)
        await server.stop()
    }
}
