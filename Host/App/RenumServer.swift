import Foundation
import RenumCore
import RenumCredentials
import RenumEgress
import RenumHTTP
import RenumIntegrations
import RenumObservability
import RenumRegistry
import RenumRuntime
import RenumSandbox
import RenumSecurity
import RenumStorage
import RenumWebhooks
import Synchronization

/// The composition root: opens storage, wires features into the router and middleware,
/// and runs the HTTP server. Tests run it in process on port 0.
public final class RenumServer: Sendable {
    public let configuration: ServerConfiguration
    public let metrics = MetricsRegistry()
    public let logger: Logger
    let store: SQLiteStore
    let http: HTTPServer
    /// Users' credentials: sealed with the key ring loaded at start.
    public let credentials: CredentialService
    /// Agent versions and their lifecycle.
    public let registry: RegistryService
    /// Loaded plugins, invocation and hot-swap.
    public let runtime: AgentRuntime
    /// Versions running in sandboxed worker processes.
    let workers: WorkerAgents
    /// Integrations, webhook ingestion and the job workers that route events to agents.
    let integrations: IntegrationsFeature
    private let lifecycle = Lifecycle()

    static let batchSizeMetric = "renum_storage_write_batch_size"
    static let commitsMetric = "renum_storage_commits_total"
    static let batchRunMetric = "renum_storage_batch_run_seconds"
    static let commitTimeMetric = "renum_storage_commit_seconds"
    static let syncTimeMetric = "renum_storage_wal_sync_seconds"

    public init(configuration: ServerConfiguration, logSink: any LogSink = JSONLineSink()) throws {
        self.configuration = configuration
        let logger = Logger(label: "renum", sink: logSink, minimumLevel: configuration.logLevel)
        self.logger = logger
        try Self.prepareDataDirectory(configuration.dataDirectory)

        let metrics = self.metrics
        metrics.declare(Self.batchSizeMetric, help: "Writes committed together by the SQLite writer (group commit).",
                        kind: .histogram, buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256])
        metrics.declare(Self.commitsMetric, help: "Transactions committed by the SQLite writer.", kind: .counter)
        let seconds: [Double] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25]
        metrics.declare(Self.batchRunMetric, help: "Time the SQLite writer spent running one batch's writes, before COMMIT.",
                        kind: .histogram, buckets: seconds)
        metrics.declare(Self.commitTimeMetric, help: "Time one COMMIT took on the writer (writing the WAL).",
                        kind: .histogram, buckets: seconds)
        metrics.declare(Self.syncTimeMetric, help: "Time one fdatasync of the WAL took (synchronous FULL), off the writer thread.",
                        kind: .histogram, buckets: seconds)
        var storeConfig = SQLiteConfiguration(path: configuration.databasePath)
        storeConfig.synchronous = configuration.sqliteSynchronous
        storeConfig.onBatchCommitted = { batch in
            metrics.observe(Self.batchSizeMetric, [], Double(batch.writes))
            metrics.observe(Self.batchRunMetric, [], batch.runSeconds)
            metrics.observe(Self.commitTimeMetric, [], batch.commitSeconds)
            metrics.increment(Self.commitsMetric)
        }
        storeConfig.onWALSynced = { seconds in metrics.observe(Self.syncTimeMetric, [], seconds) }
        store = try SQLiteStore(storeConfig)
        let keyRing = try Self.loadKeyRing(configuration, logger: logger)
        credentials = CredentialService(store: store, vault: CredentialVault(keyRing: keyRing))

        let services = PluginHostServices(egress: EgressClient(logger: logger.labeled("egress")), credentials: credentials,
                                          store: store, allowPrivateAddresses: configuration.egressAllowPrivateNetwork,
                                          maxResponseBytes: configuration.egressMaxResponseBytes, logger: logger.labeled("plugin"))
        let recorder = InvocationRecorder(store: store, metrics: metrics, logger: logger.labeled("runtime"))
        runtime = AgentRuntime(services: services, logger: logger.labeled("runtime"), observers: [recorder])
        workers = WorkerAgents(services: services,
                               options: WorkerOptions(executablePath: configuration.executablePath, logger: logger.labeled("worker")),
                               observers: [recorder], logger: logger.labeled("worker"))
        let serving = RuntimeAgentServing(runtime: runtime, workers: workers, inProcessAllowed: configuration.inProcessAgents)
        registry = RegistryService(store: store, serving: serving,
                                   inspector: ProcessArtifactInspector(executablePath: configuration.executablePath, timeoutSeconds: 30),
                                   artifactDirectory: configuration.dataDirectory + "/artifacts", logger: logger.labeled("registry"))

        let router = Router()
        let lifecycle = self.lifecycle
        OperationsRoutes(store: store, metrics: metrics, draining: { lifecycle.isDraining }).register(on: router)
        AccountRoutes(auditLog: AuditLog(store: store)).register(on: router)
        let limiter = InProcessRateLimiter()
        integrations = IntegrationsFeature(store: store, vault: CredentialVault(keyRing: keyRing), limiter: limiter,
                                           logger: logger, metrics: metrics,
                                           router: AgentEventRouter(registry: registry, serving: serving),
                                           configuration: configuration.integrations)
        integrations.register(on: router)
        CredentialRoutes(service: credentials, validator: AgentCredentialValidator(registry: registry, serving: serving)).register(on: router)
        RegistryRoutes(registry: registry, maxArtifactBytes: configuration.maxArtifactBytes).register(on: router)
        AgentInvokeRoutes(registry: registry, serving: serving, limiter: limiter).register(on: router)

        let verifier = JWTVerifier(JWTConfiguration(secret: configuration.jwtSecret, audience: configuration.jwtAudience))
        var middleware: [any Middleware] = [
            RequestLogMiddleware(metrics: metrics, logger: logger.labeled("http")),
            SecurityHeadersMiddleware(),
        ]
        if !configuration.corsOrigins.isEmpty { middleware.append(CORSMiddleware(origins: configuration.corsOrigins)) }
        middleware.append(ErrorMiddleware(logger: logger.labeled("http"), map: ErrorMapping.apiError(for:),
                                          describe: ErrorMapping.logDescription(of:)))
        middleware.append(AuthMiddleware(authenticator: JWTAuthenticator(verifier: verifier)))
        let application = HTTPApplication(router: router, middleware: middleware)
        http = HTTPServer(configuration: configuration.http, application: application, logger: logger.labeled("http"))
    }

    /// Every route the server answers, for the OpenAPI check.
    public var routes: [(method: String, pattern: String)] {
        http.routes
    }

    /// Seeds the bundled agents, loads what served before (active versions, staged canaries),
    /// then binds the port and starts serving. A broken bundled manifest stops the start.
    public func start() async throws {
        let bundles = BundledAgents.find(manifestDirectory: configuration.manifestDirectory,
                                         pluginDirectory: configuration.pluginDirectory, logger: logger)
        do {
            try await registry.seedBundled(bundles, by: Principal(userID: UUID(), isAdmin: true))
        } catch let refusal as RegistryRefusal {
            throw ConfigurationError("bundled agents: \(refusal.code): \(refusal.message)")
        }
        try await registry.loadServingVersions()
        integrations.startWorkers()
        do {
            try http.start()
        } catch {
            throw ConfigurationError(error.description)
        }
        logger.info("renum listening", ["address": configuration.http.host, "port": String(port),
                                        "data_dir": configuration.dataDirectory])
    }

    /// The bound port.
    public var port: Int { http.port }

    /// Stops accepting, lets requests in flight finish, then flushes and closes storage.
    public func shutdown() async {
        lifecycle.beginDraining()
        let http = self.http, grace = configuration.shutdownGraceSeconds
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            // shutdown() blocks while it drains; keep it off the cooperative pool the handlers need.
            Thread { http.shutdown(grace: grace); continuation.resume() }.start()
        }
        await integrations.stop()
        await workers.stopAll()
        await store.close()
        logger.info("renum stopped")
    }

    /// The vault's key ring: `RENUM_MASTER_KEY`, or a key file generated in the data dir on
    /// first start (with a warning: whoever can read the data dir can then read the secrets).
    static func loadKeyRing(_ configuration: ServerConfiguration, logger: Logger) throws -> KeyRing {
        do {
            let (keyRing, generated) = try KeyRing.load(dataDirectory: configuration.dataDirectory,
                                                        environment: configuration.environment)
            if generated {
                logger.warning("generated a master key file in the data dir; set RENUM_MASTER_KEY (base64 of 32 bytes) to keep keys apart from data",
                               ["file": configuration.dataDirectory + "/" + KeyRing.keyFileName])
            }
            return keyRing
        } catch {
            throw ConfigurationError("cannot load the master key: \(error.message)")
        }
    }

    static func prepareDataDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw ConfigurationError("data dir \(path) exists and is not a directory") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw ConfigurationError("cannot create data dir \(path): \(error.localizedDescription)")
        }
    }
}

/// Whether the server is shutting down; shared with `/readyz` so load balancers stop sending.
final class Lifecycle: Sendable {
    private let draining = Atomic<Bool>(false)
    var isDraining: Bool { draining.load(ordering: .relaxed) }
    func beginDraining() { draining.store(true, ordering: .relaxed) }
}
