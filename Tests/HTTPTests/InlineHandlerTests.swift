import Foundation
import RenumCore
import RenumObservability
import RenumTestSupport
import Synchronization
import Testing
@testable import RenumHTTP

/// Inline handlers run on libmicrohttpd's thread and answer through a `Reply`, now or later;
/// every answer still passes through the middleware's hooks.
final class InlineServer: Sendable {
    let server: HTTPServer
    let client: TestHTTPClient
    let held = HeldReplies()

    /// Replies kept by `/later` until the test releases them from its own thread.
    final class HeldReplies: Sendable {
        private let replies = Mutex<[Reply]>([])
        func keep(_ reply: Reply) { replies.withLock { $0.append(reply) } }
        var count: Int { replies.withLock { $0.count } }
        /// Answers every kept reply from a new thread (not libmicrohttpd's, not a task).
        func answerAll() {
            let taken = replies.withLock { list in defer { list.removeAll() }; return list }
            Thread { for reply in taken { reply.send(Response.text("later", status: 202)) } }.start()
        }
    }

    init() throws {
        let router = Router()
        let held = self.held
        router.add(.get, "/now", auth: .none, inline: { request, reply in
            reply.send(Response.json(["path": .string(request.path)] as JSONValue))
        })
        router.add(.post, "/later", auth: .none, inline: { _, reply in held.keep(reply) })
        router.add(.get, "/refuse", auth: .none, inline: { _, _ in throw APIError.conflict("No.", code: "NOPE") })
        router.add(.get, "/fail-later", auth: .none, inline: { _, reply in
            Thread { reply.fail(APIError.unavailable("Later, no.", code: "LATER_NO")) }.start()
        })
        router.add(.get, "/drop", auth: .none, inline: { _, _ in })
        router.add(.get, "/mine", auth: .user, inline: { request, reply in
            reply.send(Response.json(["admin": .bool(try request.requirePrincipal().isAdmin)] as JSONValue))
        })
        let application = HTTPApplication(router: router, middleware: [
            RequestLogMiddleware(metrics: MetricsRegistry(), logger: .disabled), SecurityHeadersMiddleware(),
            ErrorMiddleware(logger: .disabled), AuthMiddleware(authenticator: FixedAuthenticator()),
        ])
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        server = HTTPServer(configuration: configuration, application: application, logger: .disabled)
        try server.start()
        client = TestHTTPClient(port: server.port)
    }

    deinit { server.shutdown(grace: 1) }
}

@Suite("Inline handlers")
struct InlineHandlerTests {

    @Test func anAnswerGivenAtOnceCarriesEveryMiddlewaresHeaders() async throws {
        let live = try InlineServer()
        let client = live.client
        let response = try await client.send("GET", "/now", headers: ["X-Request-Id": "abc-123"])
        #expect(response.status == 200)
        #expect(response.json["path"] as? String == "/now")
        #expect(response.headers["x-request-id"] == "abc-123")
        #expect(response.headers["x-content-type-options"] == "nosniff")
        withExtendedLifetime(live) {}
    }

    @Test func anAnswerFromAnotherThreadLaterResumesTheConnection() async throws {
        let live = try InlineServer()
        let client = live.client, held = live.held
        async let first = client.send("POST", "/later", body: [])
        async let second = client.send("POST", "/later", body: [])
        for _ in 0..<500 where held.count < 2 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(held.count == 2)
        held.answerAll()
        let answers = try await [first, second]
        #expect(answers.map(\.status) == [202, 202])
        #expect(answers.allSatisfy { $0.text == "later" && $0.headers["x-frame-options"] == "DENY" })
        withExtendedLifetime(live) {}
    }

    @Test func errorsThrownNowOrSentLaterBecomeErrorResponses() async throws {
        let live = try InlineServer()
        let client = live.client
        let refused = try await client.send("GET", "/refuse")
        #expect(refused.status == 409)
        #expect(refused.json["code"] as? String == "NOPE")
        let later = try await client.send("GET", "/fail-later")
        #expect(later.status == 503)
        #expect(later.json["code"] as? String == "LATER_NO")
        #expect(later.headers["x-content-type-options"] == "nosniff")
        withExtendedLifetime(live) {}
    }

    @Test func aDroppedReplyIsA500NotAHungConnection() async throws {
        let live = try InlineServer()
        let response = try await live.client.send("GET", "/drop", timeout: 5)
        #expect(response.status == 500)
        #expect(response.json["code"] as? String == "INTERNAL_ERROR")
        withExtendedLifetime(live) {}
    }

    @Test func authRunsBeforeAnInlineHandler() async throws {
        let live = try InlineServer()
        let client = live.client
        #expect(try await client.send("GET", "/mine").status == 401)
        let admin = try await client.send("GET", "/mine", headers: ["Authorization": "Bearer admin"])
        #expect(admin.status == 200)
        #expect(admin.json["admin"] as? Bool == true)
        withExtendedLifetime(live) {}
    }
}
