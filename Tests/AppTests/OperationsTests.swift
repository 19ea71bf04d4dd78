import Foundation
import RenumTestSupport
import Testing

@Suite struct OperationsTests {
    @Test func healthAndReadiness() async throws {
        let server = try await TestServer()
        #expect(try await server.client.send("GET", "/healthz").status == 200)
        let ready = try await server.client.send("GET", "/readyz")
        #expect(ready.status == 200)
        #expect(ready.json["storage"] as? String == "ok")
        await server.stop()
    }

    @Test func openAPIDescribesExactlyTheRouterRoutes() async throws {
        let server = try await TestServer()
        let response = try await server.client.send("GET", "/openapi.json")
        #expect(response.status == 200)
        #expect(response.json["openapi"] as? String == "3.1.0")
        let paths = try #require(response.json["paths"] as? [String: [String: Any]])
        var documented = Set<String>()
        for (path, operations) in paths {
            for (method, operation) in operations {
                documented.insert("\(method.uppercased()) \(path)")
                let op = operation as? [String: Any]
                #expect((op?["summary"] as? String)?.isEmpty == false, "\(method) \(path) has no summary")
                #expect(op?["responses"] != nil, "\(method) \(path) has no responses")
            }
        }
        let routed = Set(server.server.routes.map { "\($0.method) \($0.pattern)" })
        #expect(documented == routed, "undocumented: \(routed.subtracting(documented)), gone: \(documented.subtracting(routed))")
        await server.stop()
    }

    @Test func metricsCountRequestsAndWriterBatches() async throws {
        let server = try await TestServer()
        let token = server.token()
        _ = try await server.client.sendJSON("POST", "/api/v1/integrations", token: token, json: ["name": "a", "type": "make"])
        _ = try await server.client.send("GET", "/healthz")
        let text = try await server.client.send("GET", "/metrics").text
        #expect(text.contains(#"renum_http_requests_total{method="POST",route="/api/v1/integrations",status="201"} 1"#))
        #expect(text.contains(#"renum_http_requests_total{method="GET",route="/healthz",status="200"} 1"#))
        #expect(text.contains("renum_http_request_duration_seconds_bucket"))
        #expect(text.contains("renum_storage_write_batch_size_count"))
        await server.stop()
    }

    @Test func errorsOfEveryKindKeepTheShape() async throws {
        let server = try await TestServer { $0.http.maxBodyBytes = 2048 }
        let token = server.token()
        let client = server.client
        let cases: [(TestResponse, Int)] = [
            (try await client.send("POST", "/api/v1/integrations", headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"], body: Array("{".utf8)), 400),
            (try await client.send("GET", "/api/v1/integrations"), 401),
            (try await client.sendJSON("GET", "/api/v1/admin/audit", token: token), 403),
            (try await client.send("GET", "/nothing-here"), 404),
            (try await client.send("PATCH", "/api/v1/integrations"), 405),
            (try await client.send("POST", "/api/v1/integrations", headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"], body: Array(repeating: 32, count: 4096)), 413),
            (try await client.send("POST", "/api/v1/integrations", headers: ["Authorization": "Bearer \(token)", "Content-Type": "text/csv"], body: Array("a,b".utf8)), 415),
            (try await client.sendJSON("POST", "/api/v1/integrations", token: token, json: ["name": ""]), 422),
        ]
        for (response, status) in cases {
            #expect(response.status == status)
            let json = response.json
            for key in ["error", "code", "message", "timestamp"] { #expect(json[key] != nil, "\(status) lacks \(key)") }
            for header in ["x-content-type-options", "x-frame-options", "x-xss-protection", "strict-transport-security",
                           "content-security-policy", "referrer-policy", "x-request-id"] {
                #expect(response.headers[header] != nil, "\(status) lacks \(header)")
            }
        }
        await server.stop()
    }

    @Test func corsFollowsConfiguration() async throws {
        let server = try await TestServer { $0.corsOrigins = ["https://console.example.com"] }
        let preflight = try await server.client.send("OPTIONS", "/api/v1/integrations", headers: [
            "Origin": "https://console.example.com", "Access-Control-Request-Method": "POST"])
        #expect(preflight.status == 204)
        #expect(preflight.headers["access-control-allow-origin"] == "https://console.example.com")
        await server.stop()
    }
}
