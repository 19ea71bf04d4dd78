import Foundation
import RenumCore
import RenumHTTP
import RenumIntegrations
import RenumObservability
import RenumSecurity
import RenumStorage
import RenumTestSupport
import RenumWebhooks

/// Authenticates by the HS256 bearer JWT, as App's authenticator does.
struct TestJWTAuthenticator: Authenticator {
    let verifier: JWTVerifier

    func authenticate(_ request: Request) throws(APIError) -> Principal {
        do {
            return try verifier.authenticate(authorizationHeader: request.headers["Authorization"])
        } catch {
            throw APIError.unauthorized(error.message)
        }
    }
}

/// The real pieces over loopback: libmicrohttpd, the standard middleware, SQLite in a temp dir,
/// the vault with a key file there, and the feature under test.
final class TestStack: Sendable {
    static let secret = "integrations-test-secret-0123456789abcdef"
    let directory = TemporaryDirectory(prefix: "renum-ingest")
    let store: SQLiteStore
    let server: HTTPServer
    let feature: IntegrationsFeature
    let router: RecordingRouter
    let client: TestHTTPClient
    let logs = MemoryLogSink()
    let metrics = MetricsRegistry()
    let issuer = JWTIssuer(JWTConfiguration(secret: Array(TestStack.secret.utf8)))
    var databasePath: String { directory.file("renum.sqlite3") }

    init(router: RecordingRouter = RecordingRouter(), startWorkers: Bool = true,
         configure: (inout IntegrationsConfiguration) -> Void = { _ in }) throws {
        self.router = router
        store = try SQLiteStore(SQLiteConfiguration(path: directory.file("renum.sqlite3")))
        let (keyRing, _) = try KeyRing.load(dataDirectory: directory.path, environment: [:])
        var configuration = IntegrationsConfiguration()
        configuration.publicBaseURL = "https://hooks.example.test"
        configuration.pollInterval = 0.01
        configuration.retryInitialInterval = 0.05
        configuration.retryMaximumInterval = 0.2
        configuration.leaseSeconds = 30
        configure(&configuration)
        let logger = Logger(label: "test", sink: logs, minimumLevel: .debug)
        feature = IntegrationsFeature(store: store, vault: CredentialVault(keyRing: keyRing), limiter: InProcessRateLimiter(),
                                      logger: logger, metrics: metrics, router: router, configuration: configuration)
        let routes = Router()
        feature.register(on: routes)
        let verifier = JWTVerifier(JWTConfiguration(secret: Array(Self.secret.utf8)))
        let middleware: [any Middleware] = [
            RequestLogMiddleware(metrics: metrics, logger: logger.labeled("http")),
            SecurityHeadersMiddleware(),
            ErrorMiddleware(logger: logger.labeled("http")),
            AuthMiddleware(authenticator: TestJWTAuthenticator(verifier: verifier)),
        ]
        var http = HTTPServerConfiguration()
        http.port = 0
        http.threads = 2
        http.maxConnections = 4096
        server = HTTPServer(configuration: http, application: HTTPApplication(router: routes, middleware: middleware),
                            logger: logger.labeled("http"))
        try server.start()
        client = TestHTTPClient(port: server.port)
        if startWorkers { feature.startWorkers() }
    }

    func token(for user: UUID = UUID()) -> String { issuer.mint(subject: user) }

    func stop() async {
        await feature.stop()
        let server = self.server
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread { server.shutdown(grace: 2); done.resume() }.start()
        }
        await store.close()
        directory.remove()
    }

    /// Creates an integration and returns its id, token and the whole answer.
    func create(_ body: [String: Any], token: String) async throws -> (id: String, token: String, json: [String: Any]) {
        let response = try await client.sendJSON("POST", "/api/v1/integrations", token: token, json: body)
        guard response.status == 201 else { throw StackError(description: "create: \(response.status) \(response.text)") }
        let json = response.json
        return (json["id"] as? String ?? "", json["token"] as? String ?? "", json)
    }

    /// POSTs a webhook body with headers.
    func deliver(_ id: String, _ body: [UInt8], headers: [String: String], platform: String? = nil) async throws -> TestResponse {
        var all = headers
        all["Content-Type"] = all["Content-Type"] ?? "application/json"
        let path = "/api/v1/webhook/\(id)" + (platform.map { "/\($0)" } ?? "")
        return try await client.send("POST", path, headers: all, body: body)
    }

    /// Rows of a query on one of the store's reader connections.
    func rows(_ sql: String, _ params: [SQLValue] = []) throws -> [SQLRow] {
        try store.read { db in try db.query(sql, params) }
    }

    /// Waits until `condition` holds or `seconds` pass.
    func eventually(_ seconds: Double = 10, _ condition: () throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        return try condition()
    }
}

struct StackError: Error, CustomStringConvertible {
    let description: String
}
