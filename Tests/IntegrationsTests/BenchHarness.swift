import Foundation
import RenumCore
import RenumHTTP
import RenumIntegrations
import RenumObservability
import RenumSecurity
import RenumStorage
import Synchronization
import Testing
import RenumWebhooks
#if canImport(Glibc)
import Glibc
#endif

/// Not a test: the ingestion stack as a long-running server for `bench/webhooks.sh` and
/// `bench/webhook-durability.sh`, until App wires `IntegrationsFeature` into `renum serve`.
/// Runs only when `RENUM_HARNESS_DIR` is set; the same code paths as production: libmicrohttpd,
/// the middleware chain, SQLite with group commit (synchronous FULL unless told otherwise),
/// the vault with its key file in the data dir, the job workers.
///
/// Writes `harness.pid`, `harness.port`, `harness.token` (a JWT for one user) and
/// `harness.deliveries` (at stop: the number of router calls) to the data dir; stops when
/// `harness.stop` appears there.
@Suite struct BenchHarness {
    static let environment = ProcessInfo.processInfo.environment

    @Test(.enabled(if: environment["RENUM_HARNESS_DIR"] != nil))
    func serve() async throws {
        let directory = Self.environment["RENUM_HARNESS_DIR"]!
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var storeConfig = SQLiteConfiguration(path: directory + "/renum.sqlite3")
        if Self.environment["RENUM_HARNESS_SYNCHRONOUS"] == "normal" { storeConfig.synchronous = .normal }
        let store = try SQLiteStore(storeConfig)
        let (keyRing, _) = try KeyRing.load(dataDirectory: directory, environment: [:])
        let secret = Array("bench-harness-secret-0123456789abcdef".utf8)
        let logger = Logger(label: "harness", sink: JSONLineSink(), minimumLevel: .warning)
        let metrics = MetricsRegistry()
        let router = CountingRouter()
        let feature = IntegrationsFeature(store: store, vault: CredentialVault(keyRing: keyRing), logger: logger,
                                          metrics: metrics, router: router, configuration: .fromEnvironment())
        let routes = Router()
        feature.register(on: routes)
        let verifier = JWTVerifier(JWTConfiguration(secret: secret))
        let application = HTTPApplication(router: routes, middleware: [
            RequestLogMiddleware(metrics: metrics, logger: logger.labeled("http")),
            SecurityHeadersMiddleware(),
            ErrorMiddleware(logger: logger.labeled("http")),
            AuthMiddleware(authenticator: TestJWTAuthenticator(verifier: verifier)),
        ])
        var http = HTTPServerConfiguration()
        http.port = Int(Self.environment["RENUM_HARNESS_PORT"] ?? "0") ?? 0
        http.threads = Int(Self.environment["RENUM_HTTP_THREADS"] ?? "2") ?? 2
        http.maxConnections = 4096
        let server = HTTPServer(configuration: http, application: application, logger: logger.labeled("http"))
        try server.start()
        // RENUM_HARNESS_NO_WORKERS=1 measures ingestion alone.
        if Self.environment["RENUM_HARNESS_NO_WORKERS"] == nil { feature.startWorkers() }
        let token = JWTIssuer(JWTConfiguration(secret: secret)).mint(subject: UUID(), ttl: 86_400)
        try String(getpid()).write(toFile: directory + "/harness.pid", atomically: true, encoding: .utf8)
        try token.write(toFile: directory + "/harness.token", atomically: true, encoding: .utf8)
        try String(server.port).write(toFile: directory + "/harness.port", atomically: true, encoding: .utf8)
        while !FileManager.default.fileExists(atPath: directory + "/harness.stop") {
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread { server.shutdown(grace: 5); done.resume() }.start()
        }
        await feature.stop()
        await store.close()
        try String(router.count).write(toFile: directory + "/harness.deliveries", atomically: true, encoding: .utf8)
    }
}

/// Stands in for the agents in the harness: takes every event at no cost, counting calls.
final class CountingRouter: EventRouter {
    private let calls = Atomic<Int>(0)
    var count: Int { calls.load(ordering: .relaxed) }

    func deliver(_ envelope: MessageEnvelope, integration: RoutedIntegration, destination: EventDestination,
                 requestID: String) async -> DeliveryOutcome {
        calls.add(1, ordering: .relaxed)
        return .success
    }
}
