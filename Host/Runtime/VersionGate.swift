import Synchronization

/// Admission control for one loaded version: at most `maxConcurrency` calls run at once,
/// up to `queueLimit` more wait, the rest are refused at once (CONCURRENCY_LIMIT, a 503).
/// Also counts calls in flight (running + queued, including timed-out calls whose plugin
/// code has not yet returned), so retire can drain before on_shutdown.
final class VersionGate: Sendable {
    enum Admission {
        /// Run now (the caller submits the job).
        case run
        /// Queued: the job will be handed back by `finish()` when a running call ends.
        case queued
        /// Queue full.
        case full
        /// The version is retired.
        case retired
    }

    private struct State {
        var running = 0
        var waiting: [@Sendable () -> Void] = []
        var waitingHead = 0
        var retired = false
        var inFlight: Int { running + waiting.count - waitingHead }
    }

    let maxConcurrency: Int
    let queueLimit: Int
    private let state = Mutex(State())

    init(maxConcurrency: Int, queueLimit: Int) {
        self.maxConcurrency = max(1, maxConcurrency)
        self.queueLimit = max(0, queueLimit)
    }

    /// Admits a call whose work is `job`.
    func admit(_ job: @escaping @Sendable () -> Void) -> Admission {
        state.withLock { state in
            if state.retired { return .retired }
            if state.running < maxConcurrency {
                state.running += 1
                return .run
            }
            guard state.waiting.count - state.waitingHead < queueLimit else { return .full }
            state.waiting.append(job)
            return .queued
        }
    }

    /// A running call ended: returns the next queued job to run in its place, if any.
    func finish() -> (@Sendable () -> Void)? {
        state.withLock { state in
            guard state.waitingHead < state.waiting.count else {
                state.running -= 1
                return nil
            }
            let next = state.waiting[state.waitingHead]
            state.waitingHead += 1
            if state.waitingHead == state.waiting.count {
                state.waiting.removeAll(keepingCapacity: true)
                state.waitingHead = 0
            }
            return next
        }
    }

    /// Refuses new calls from now on; returns the number still in flight.
    func retire() -> Int {
        state.withLock { state in
            state.retired = true
            return state.inFlight
        }
    }

    /// Calls running or queued.
    var inFlight: Int { state.withLock { $0.inFlight } }
}
