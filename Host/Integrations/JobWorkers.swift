import Foundation
import RenumCore
import RenumObservability
import RenumStorage
import Synchronization

/// The worker pool: each worker leases a batch, processes its jobs concurrently, and records
/// all their results in one transaction (group commit again), then looks for more.
///
/// Idle workers wait for a ring from the ingest path or the poll interval, whichever comes
/// first; the poll also picks up due retries and expired leases. A maintenance task purges
/// idempotency keys older than the window.
final class JobWorkers: Sendable {
    let queue: JobQueue
    let processor: JobProcessor
    let cache: IntegrationCache
    let logs: WebhookLogRepository
    let configuration: IntegrationsConfiguration
    let wake: WorkSignal
    let logger: Logger
    let metrics: MetricsRegistry
    private let tasks = Mutex<[Task<Void, Never>]>([])

    static let jobsMetric = "renum_webhook_jobs_total"

    init(queue: JobQueue, processor: JobProcessor, cache: IntegrationCache, logs: WebhookLogRepository,
         configuration: IntegrationsConfiguration, wake: WorkSignal, logger: Logger, metrics: MetricsRegistry) {
        self.queue = queue
        self.processor = processor
        self.cache = cache
        self.logs = logs
        self.configuration = configuration
        self.wake = wake
        self.logger = logger
        self.metrics = metrics
    }

    func start() {
        tasks.withLock { tasks in
            guard tasks.isEmpty else { return }
            for _ in 0..<max(1, configuration.workerCount) {
                tasks.append(Task.detached { [self] in await self.run() })
            }
            tasks.append(Task.detached { [self] in await self.maintain() })
        }
    }

    /// Cancels the workers and waits for them: a batch in flight is finished and recorded first.
    func stop() async {
        let running = tasks.withLock { tasks in defer { tasks.removeAll() }; return tasks }
        for task in running { task.cancel() }
        wake.ring()
        for task in running { await task.value }
    }

    private func run() async {
        while !Task.isCancelled {
            let processed = await runOnce()
            if processed == 0 && !Task.isCancelled { await wake.wait(upTo: configuration.pollInterval) }
        }
    }

    /// Leases and finishes one batch; returns how many jobs it held.
    func runOnce() async -> Int {
        let now = Date()
        do {
            guard try queue.hasWork(now: Timestamp.format(now)) else { return 0 }
            let jobs = try await queue.lease(limit: configuration.leaseBatchSize, now: Timestamp.format(now),
                                             leaseUntil: Timestamp.format(now.addingTimeInterval(configuration.leaseSeconds)))
            guard !jobs.isEmpty else { return 0 }
            let processor = self.processor
            let results = await withTaskGroup(of: JobResult.self) { group in
                for job in jobs { group.addTask { await processor.process(job) } }
                return await group.reduce(into: [JobResult]()) { $0.append($1) }
            }
            let summary = try await queue.finalize(results, now: Timestamp.now())
            for id in summary.touchedIntegrations { cache.invalidate(id) }
            for result in results { metrics.increment(Self.jobsMetric, [("result", Self.name(result))]) }
            return jobs.count
        } catch {
            logger.error("job batch failed", ["error": String(describing: type(of: error))])
            try? await Task.sleep(nanoseconds: UInt64(configuration.pollInterval * 1e9))
            return 0
        }
    }

    private func maintain() async {
        while !Task.isCancelled {
            let cutoff = Timestamp.format(Date().addingTimeInterval(-configuration.idempotencyWindow))
            do {
                let purged = try await logs.purgeIdempotencyKeys(olderThan: cutoff)
                if purged > 0 { logger.info("purged idempotency keys", ["count": String(purged)]) }
            } catch {
                logger.error("idempotency purge failed", ["error": String(describing: type(of: error))])
            }
            try? await Task.sleep(nanoseconds: UInt64(configuration.purgeInterval * 1e9))
        }
    }

    private static func name(_ result: JobResult) -> String {
        switch result {
        case .delivered: return "delivered"
        case .retry: return "retry"
        case .dead: return "dead"
        case .postpone: return "postponed"
        }
    }
}
