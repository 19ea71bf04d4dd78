import Foundation
import RenumCore
import RenumObservability
import RenumTestSupport
import Testing
@testable import RenumHTTP

/// Accepts `Bearer user` and `Bearer admin`; enough to exercise the middleware.
struct FixedAuthenticator: Authenticator {
    func authenticate(_ request: Request) throws(APIError) -> Principal {
        switch request.headers["Authorization"] {
        case "Bearer user": return Principal(userID: UUID(), isAdmin: false)
        case "Bearer admin": return Principal(userID: UUID(), isAdmin: true)
        default: throw APIError.unauthorized("A valid bearer token is required.")
        }
    }
}

/// A real server on a free loopback port with a few routes.
final class LiveServer: Sendable {
    let server: HTTPServer
    let client: TestHTTPClient
    let metrics = MetricsRegistry()

    init(configure: (inout HTTPServerConfiguration) -> Void = { _ in }, corsOrigins: [String] = []) throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configure(&configuration)
        let router = Router()
        router.get("/hello", auth: .none) { request in
            Response.json(["hello": .string(request.query["name"] ?? "world")] as JSONValue)
        }
        router.post("/echo", auth: .none) { request in
            let object = try request.jsonObject()
            return Response.json(JSONValue.object(object), status: 201)
        }
        router.get("/me", auth: .user) { request in
            Response.json(["admin": .bool(try request.requirePrincipal().isAdmin)] as JSONValue)
        }
        router.get("/admin", auth: .admin) { _ in Response.noContent }
        router.get("/boom", auth: .none) { _ in
            struct Secret: Error { let sql = "SELECT secret FROM vault" }
            throw Secret()
        }
        router.get("/slow", auth: .none) { _ in
            try await Task.sleep(for: .milliseconds(300))
            return Response.text("done")
        }
        var middleware: [any Middleware] = [
            RequestLogMiddleware(metrics: metrics, logger: .disabled),
            SecurityHeadersMiddleware(),
        ]
        if !corsOrigins.isEmpty { middleware.append(CORSMiddleware(origins: corsOrigins)) }
        middleware += [ErrorMiddleware(logger: .disabled), AuthMiddleware(authenticator: FixedAuthenticator())] as [any Middleware]
        let application = HTTPApplication(router: router, middleware: middleware)
        server = HTTPServer(configuration: configuration, application: application, logger: .disabled)
        try server.start()
        client = TestHTTPClient(port: server.port)
    }

    deinit { server.shutdown(grace: 1) }
}

@Suite struct LiveServerTests {
    static let securityHeaders = ["x-content-type-options", "x-frame-options", "x-xss-protection",
                                  "strict-transport-security", "content-security-policy", "referrer-policy"]

    func expectErrorShape(_ response: TestResponse, status: Int, code: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == status, sourceLocation: sourceLocation)
        let json = response.json
        #expect(json["code"] as? String == code, sourceLocation: sourceLocation)
        #expect(json["error"] is String, sourceLocation: sourceLocation)
        #expect((json["message"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(Timestamp.parse(json["timestamp"] as? String ?? "") != nil, sourceLocation: sourceLocation)
        #expect(response.headers["content-type"] == "application/json", sourceLocation: sourceLocation)
        for header in Self.securityHeaders {
            #expect(response.headers[header] != nil, "missing \(header)", sourceLocation: sourceLocation)
        }
    }

    @Test func servesJSONWithSecurityHeadersAndRequestID() async throws {
        let live = try LiveServer()
        let response = try await live.client.send("GET", "/hello?name=renum%20team", headers: ["X-Request-Id": "abc-123"])
        #expect(response.status == 200)
        #expect(response.json["hello"] as? String == "renum team")
        #expect(response.headers["x-request-id"] == "abc-123")
        for header in Self.securityHeaders { #expect(response.headers[header] != nil, "missing \(header)") }
    }

    @Test func generatesRequestIDWhenTheClientsIsUnfit() async throws {
        let live = try LiveServer()
        let response = try await live.client.send("GET", "/hello", headers: ["X-Request-Id": "bad id with spaces"])
        #expect(UUID(uuidString: response.headers["x-request-id"] ?? "") != nil)
    }

    @Test func unknownRouteIs404InErrorFormat() async throws {
        let live = try LiveServer()
        expectErrorShape(try await live.client.send("GET", "/nope"), status: 404, code: "NOT_FOUND")
    }

    @Test func wrongMethodIs405WithAllow() async throws {
        let live = try LiveServer()
        let response = try await live.client.send("DELETE", "/hello")
        expectErrorShape(response, status: 405, code: "METHOD_NOT_ALLOWED")
        #expect(response.headers["allow"] == "GET, HEAD")
    }

    @Test func headHasNoBody() async throws {
        let live = try LiveServer()
        let response = try await live.client.send("HEAD", "/hello")
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
    }

    @Test func authIsEnforcedPerRoute() async throws {
        let live = try LiveServer()
        let missing = try await live.client.send("GET", "/me")
        expectErrorShape(missing, status: 401, code: "UNAUTHORIZED")
        #expect(missing.headers["www-authenticate"] == "Bearer")
        expectErrorShape(try await live.client.send("GET", "/me", headers: ["Authorization": "Bearer wrong"]), status: 401, code: "UNAUTHORIZED")
        let user = try await live.client.send("GET", "/me", headers: ["Authorization": "Bearer user"])
        #expect(user.status == 200)
        #expect(user.json["admin"] as? Bool == false)
        expectErrorShape(try await live.client.send("GET", "/admin", headers: ["Authorization": "Bearer user"]), status: 403, code: "FORBIDDEN")
        #expect(try await live.client.send("GET", "/admin", headers: ["Authorization": "Bearer admin"]).status == 204)
    }

    @Test func echoesJSON() async throws {
        let live = try LiveServer()
        let response = try await live.client.sendJSON("POST", "/echo", json: ["a": 1, "b": ["c"]])
        #expect(response.status == 201)
        #expect(response.json["a"] as? Int == 1)
    }

    @Test func malformedJSONIs400SayingWhere() async throws {
        let live = try LiveServer()
        let response = try await live.client.send("POST", "/echo", headers: ["Content-Type": "application/json"],
                                                  body: Array("{\"a\": 1,,}".utf8))
        expectErrorShape(response, status: 400, code: "MALFORMED_JSON")
        let reason = (response.json["details"] as? [String: Any])?["reason"] as? String ?? ""
        #expect(reason.contains("line 1"), "reason was: \(reason)")
    }

    @Test func nonObjectBodyIs422() async throws {
        let live = try LiveServer()
        let response = try await live.client.send("POST", "/echo", headers: ["Content-Type": "application/json"], body: Array("[1]".utf8))
        expectErrorShape(response, status: 422, code: "VALIDATION_FAILED")
    }

    @Test func wrongMediaTypeIs415() async throws {
        let live = try LiveServer()
        let response = try await live.client.send("POST", "/echo", headers: ["Content-Type": "text/plain"], body: Array("{}".utf8))
        expectErrorShape(response, status: 415, code: "UNSUPPORTED_MEDIA_TYPE")
    }

    @Test func oversizedBodyIs413() async throws {
        let live = try LiveServer { $0.maxBodyBytes = 1024 }
        let body = Array(repeating: UInt8(ascii: "a"), count: 4096)
        let response = try await live.client.send("POST", "/echo", headers: ["Content-Type": "application/json"], body: body)
        expectErrorShape(response, status: 413, code: "PAYLOAD_TOO_LARGE")
        // The server is still fine afterwards.
        #expect(try await live.client.send("GET", "/hello").status == 200)
    }

    @Test func oversizedChunkedBodyIs413() async throws {
        let live = try LiveServer { $0.maxBodyBytes = 1024 }
        let port = live.server.port
        let response = try await TestHTTPClient.onThread {
            let socket = try RawSocket.connect(host: "127.0.0.1", port: port)
            defer { socket.close() }
            var request = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            for _ in 0..<4 { request += "400\r\n" + String(repeating: "a", count: 1024) + "\r\n" }
            request += "0\r\n\r\n"
            try socket.write(Array(request.utf8))
            return try socket.readToEnd()
        }
        #expect(String(decoding: response.prefix(12), as: UTF8.self) == "HTTP/1.1 413")
    }

    @Test func unexpectedErrorIs500WithoutInternals() async throws {
        let live = try LiveServer()
        let response = try await live.client.send("GET", "/boom")
        expectErrorShape(response, status: 500, code: "INTERNAL_ERROR")
        #expect(!response.text.contains("SELECT"))
        #expect(!response.text.contains("Secret"))
    }

    @Test func slowClientIsDroppedAfterTheTimeout() async throws {
        let live = try LiveServer { $0.connectionTimeoutSeconds = 1 }
        let port = live.server.port
        let closed = try await TestHTTPClient.onThread {
            let socket = try RawSocket.connect(host: "127.0.0.1", port: port)
            defer { socket.close() }
            try socket.write(Array("GET /hello HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8))
            return socket.isClosedByPeer(within: 5)
        }
        #expect(closed)
        #expect(try await live.client.send("GET", "/hello").status == 200)
    }

    @Test func corsIsOffByDefault() async throws {
        let live = try LiveServer()
        let response = try await live.client.send("GET", "/hello", headers: ["Origin": "https://app.example.com"])
        #expect(response.headers["access-control-allow-origin"] == nil)
    }

    @Test func corsAllowsConfiguredOriginsOnly() async throws {
        let live = try LiveServer(corsOrigins: ["https://app.example.com"])
        let preflight = try await live.client.send("OPTIONS", "/me", headers: [
            "Origin": "https://app.example.com", "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization"])
        #expect(preflight.status == 204)
        #expect(preflight.headers["access-control-allow-origin"] == "https://app.example.com")
        #expect(preflight.headers["access-control-allow-headers"]?.contains("Authorization") == true)
        let simple = try await live.client.send("GET", "/hello", headers: ["Origin": "https://app.example.com"])
        #expect(simple.headers["access-control-allow-origin"] == "https://app.example.com")
        let other = try await live.client.send("OPTIONS", "/me", headers: [
            "Origin": "https://evil.example.com", "Access-Control-Request-Method": "GET"])
        #expect(other.headers["access-control-allow-origin"] == nil)
        #expect(other.status == 405)
    }

    @Test func countsRequestsByRoute() async throws {
        let live = try LiveServer()
        for _ in 0..<3 { _ = try await live.client.send("GET", "/hello") }
        _ = try await live.client.send("GET", "/nope")
        #expect(live.metrics.value(RequestLogMiddleware.requestsTotal, [("method", "GET"), ("route", "/hello"), ("status", "200")]) == 3)
        #expect(live.metrics.value(RequestLogMiddleware.requestsTotal, [("method", "GET"), ("route", "unmatched"), ("status", "404")]) == 1)
        #expect(live.metrics.render().contains("renum_http_request_duration_seconds_bucket{method=\"GET\",route=\"/hello\",le=\"+Inf\"} 3"))
    }

    @Test func manyConcurrentRequestsAllSucceed() async throws {
        let live = try LiveServer()
        let client = live.client
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<64 { group.addTask { try await client.send("GET", "/hello?name=\(i)").status } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.count == 64)
        #expect(statuses.allSatisfy { $0 == 200 })
    }

    @Test func shutdownFinishesRequestsInFlight() async throws {
        let live = try LiveServer()
        let client = live.client
        let slow = Task { try await client.send("GET", "/slow") }
        let server = live.server
        // Shut down only once the slow request is really in flight (a loaded machine may take a while to connect).
        let deadline = ContinuousClock.now + .seconds(30)
        while server.requestsInFlight == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(server.requestsInFlight > 0)
        try await TestHTTPClient.onThread { server.shutdown(grace: 5) }
        let response = try await slow.value
        #expect(response.status == 200)
        #expect(response.text == "done")
    }
}
