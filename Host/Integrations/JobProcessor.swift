import Foundation
import RenumCore
import RenumHTTP
import RenumStorage
import RenumWebhooks

/// Processes one leased job: open the body, normalise it, hand each envelope to the router,
/// and decide the job's result. Never throws: every failure is a result the queue records.
struct JobProcessor: Sendable {
    let cache: IntegrationCache
    let secrets: IntegrationSecrets
    let router: any EventRouter
    let retry: RetryPolicy
    /// How long an inactive integration's jobs wait before being looked at again.
    var postponement: Double = 60

    private static let normalizer = WebhookNormalizer()

    func process(_ job: LeasedJob) async -> JobResult {
        let started = Monotonic.now()
        func elapsedMs() -> Int { Int((Monotonic.now() &- started) / 1_000_000) }
        let integration: WebhookIntegration
        do {
            guard let found = try cache.integration(job.integrationID) else {
                return .dead(job, error: "the integration no longer exists", responseTimeMs: 0)
            }
            integration = found
        } catch {
            return failure(job, "the integration could not be loaded", retryable: true, elapsedMs())
        }
        if integration.status == .inactive {
            return .postpone(job, until: Timestamp.format(Date().addingTimeInterval(postponement)))
        }
        guard let sealed = job.sealedBody,
              let body = try? secrets.openBody(sealed, userID: job.userID, integrationID: job.integrationID) else {
            return .dead(job, error: "the stored body cannot be opened", responseTimeMs: 0)
        }
        var headers: [(name: String, value: String)] = []
        if let webhookID = job.webhookID { headers.append((name: "webhook-id", value: webhookID)) }
        let envelopes: [MessageEnvelope]
        do {
            envelopes = try Self.normalizer.normalize(platform: integration.platform, rawBody: body,
                                                      headers: WebhookHeaders(headers),
                                                      receivedAt: Timestamp.parse(job.receivedAt) ?? Date())
        } catch {
            return .dead(job, error: "normalisation failed: \(error.message)", responseTimeMs: elapsedMs())
        }
        var cost = 0.0
        for envelope in envelopes {
            switch await router.deliver(envelope, integration: integration.routed, destination: integration.destination,
                                        requestID: job.requestID) {
            case .success(let spent):
                cost += spent
            case .failure(let code, let message, let retryable):
                return failure(job, "\(code): \(message)", retryable: retryable, elapsedMs())
            }
        }
        return .delivered(job, responseTimeMs: elapsedMs(), cost: cost)
    }

    private func failure(_ job: LeasedJob, _ error: String, retryable: Bool, _ elapsed: Int) -> JobResult {
        guard retryable, retry.mayRetry(attempt: job.attempt, maxAttempts: job.maxAttempts) else {
            return .dead(job, error: String(error.prefix(500)), responseTimeMs: elapsed)
        }
        let at = Date().addingTimeInterval(retry.delay(after: job.attempt))
        return .retry(job, retryAt: Timestamp.format(at), error: String(error.prefix(500)))
    }
}
