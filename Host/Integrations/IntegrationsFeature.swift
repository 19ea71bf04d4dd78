import Foundation
import RenumHTTP
import RenumObservability
import RenumSecurity
import RenumStorage
import RenumWebhooks

/// Integrations and webhooks, wired as one unit: App creates it, registers its routes, starts
/// its workers, and stops it before closing the store.
///
/// Routes: the owner's `/api/v1/integrations` CRUD (replacing the legacy `IntegrationRoutes`),
/// `…/{id}/regenerate-token`, `…/{id}/logs`, `…/{id}/analytics`, `…/{id}/replay`, and the
/// provider-facing `/api/v1/webhook/{integration_id}[/{platform}]` (POST) and its GET handshake.
public final class IntegrationsFeature: Sendable {
    let configuration: IntegrationsConfiguration
    let service: IntegrationService
    let ingestor: WebhookIngestor
    let workers: JobWorkers
    let activity: IntegrationActivityRoutes

    /// Builds the feature over App's store, vault, rate limiter, logger and metrics; `router`
    /// is where processed events go (the plugin runtime in App).
    public init(store: any Store, vault: CredentialVault, limiter: any RateLimiter = InProcessRateLimiter(),
                logger: Logger, metrics: MetricsRegistry, router: any EventRouter,
                configuration: IntegrationsConfiguration = .fromEnvironment()) {
        self.configuration = configuration
        let repository = IntegrationRepository(store: store)
        let secrets = IntegrationSecrets(vault: vault)
        let cache = IntegrationCache(repository: repository, secrets: secrets)
        let logs = WebhookLogRepository(store: store)
        let queue = JobQueue(store: store, errorThreshold: configuration.errorThreshold)
        let wake = WorkSignal()
        metrics.declare(WebhookIngestor.deliveriesMetric, help: "Webhook deliveries by outcome.", kind: .counter)
        metrics.declare(JobWorkers.jobsMetric, help: "Webhook jobs finished by result.", kind: .counter)
        service = IntegrationService(repository: repository, secrets: secrets, cache: cache, configuration: configuration)
        ingestor = WebhookIngestor(cache: cache, limiter: limiter,
                                   verifier: WebhookVerifier(timestampTolerance: configuration.timestampTolerance),
                                   secrets: secrets, logs: logs, configuration: configuration, metrics: metrics,
                                   logger: logger.labeled("webhooks"), wake: wake)
        let retry = RetryPolicy(initialInterval: configuration.retryInitialInterval,
                                maximumInterval: configuration.retryMaximumInterval,
                                maximumAttempts: configuration.maxAttempts)
        let processor = JobProcessor(cache: cache, secrets: secrets, router: router, retry: retry)
        workers = JobWorkers(queue: queue, processor: processor, cache: cache, logs: logs, configuration: configuration,
                             wake: wake, logger: logger.labeled("webhook-jobs"), metrics: metrics)
        activity = IntegrationActivityRoutes(repository: repository, logs: logs, queue: queue, store: store, wake: wake)
    }

    /// Registers every integration and webhook route.
    public func register(on router: Router) {
        IntegrationManagementRoutes(service: service).register(on: router)
        activity.register(on: router)
        WebhookRoutes(ingestor: ingestor).register(on: router)
    }

    /// Starts the job workers and the idempotency-key purge (idempotent).
    public func startWorkers() {
        workers.start()
    }

    /// Stops the workers after the batches in flight are recorded; call before closing the store.
    /// Jobs still leased by then are taken again after their lease expires (at-least-once).
    public func stop() async {
        await workers.stop()
    }
}
