import Foundation

/// The knobs of webhook ingestion and processing, with defaults for production.
public struct IntegrationsConfiguration: Sendable {
    /// Prefix of `webhook_url` (`RENUM_PUBLIC_URL`, e.g. `https://hooks.example.com`); empty: a path only.
    public var publicBaseURL = ""
    /// Job worker tasks (`RENUM_WEBHOOK_WORKERS`).
    public var workerCount = 2
    /// Jobs one worker leases at once (`RENUM_WEBHOOK_BATCH`).
    public var leaseBatchSize = 32
    /// How long a lease lasts before another worker may take the job (`RENUM_WEBHOOK_LEASE_SECONDS`).
    public var leaseSeconds: Double = 60
    /// How often an idle worker looks for due jobs, seconds (`RENUM_WEBHOOK_POLL_SECONDS`).
    public var pollInterval: Double = 0.05
    /// Deliveries per job before it becomes a dead letter (`RENUM_WEBHOOK_MAX_ATTEMPTS`).
    public var maxAttempts = 5
    /// First retry delay, seconds (`RENUM_WEBHOOK_RETRY_INITIAL_SECONDS`); doubles per attempt.
    public var retryInitialInterval: Double = 1
    /// Longest retry delay, seconds (`RENUM_WEBHOOK_RETRY_MAX_SECONDS`); 100 × initial by default.
    public var retryMaximumInterval: Double = 100
    /// Dead jobs in a row that turn an integration to `error` (`RENUM_WEBHOOK_ERROR_THRESHOLD`).
    public var errorThreshold = 10
    /// How long provider ids and Idempotency-Keys are remembered, seconds (`RENUM_WEBHOOK_IDEMPOTENCY_DAYS` × 86400).
    public var idempotencyWindow: Double = 7 * 86_400
    /// How often old idempotency keys are purged, seconds.
    public var purgeInterval: Double = 3600
    /// Standard Webhooks timestamp tolerance, seconds.
    public var timestampTolerance: Double = 300

    public init() {}

    /// Defaults overridden by the environment variables named on each property.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Self {
        var c = Self()
        func double(_ name: String) -> Double? { environment[name].flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil } }
        func int(_ name: String) -> Int? { environment[name].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } }
        if let url = environment["RENUM_PUBLIC_URL"] { c.publicBaseURL = url }
        if let v = int("RENUM_WEBHOOK_WORKERS") { c.workerCount = v }
        if let v = int("RENUM_WEBHOOK_BATCH") { c.leaseBatchSize = v }
        if let v = double("RENUM_WEBHOOK_LEASE_SECONDS") { c.leaseSeconds = v }
        if let v = double("RENUM_WEBHOOK_POLL_SECONDS") { c.pollInterval = v }
        if let v = int("RENUM_WEBHOOK_MAX_ATTEMPTS") { c.maxAttempts = v }
        if let v = double("RENUM_WEBHOOK_RETRY_INITIAL_SECONDS") { c.retryInitialInterval = v; c.retryMaximumInterval = 100 * v }
        if let v = double("RENUM_WEBHOOK_RETRY_MAX_SECONDS") { c.retryMaximumInterval = v }
        if let v = int("RENUM_WEBHOOK_ERROR_THRESHOLD") { c.errorThreshold = v }
        if let v = double("RENUM_WEBHOOK_IDEMPOTENCY_DAYS") { c.idempotencyWindow = max(7, v) * 86_400 }
        return c
    }

    /// The URL a provider is given for an integration.
    func webhookURL(for id: String) -> String {
        let base = publicBaseURL.hasSuffix("/") ? String(publicBaseURL.dropLast()) : publicBaseURL
        return "\(base)/api/v1/webhook/\(id)"
    }
}
