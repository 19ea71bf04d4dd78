import Synchronization

/// Bounded concurrency: `limit` calls run, up to `queueLimit` more wait (first come, first
/// served), anything beyond is refused at once (CONCURRENCY_LIMIT, a 503 upstream).
final class AdmissionGate: Sendable {
    private struct State {
        var active = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    let limit: Int
    let queueLimit: Int
    private let state = Mutex(State())

    init(limit: Int, queueLimit: Int) {
        self.limit = max(limit, 1)
        self.queueLimit = max(queueLimit, 0)
    }

    /// True when the caller may run (call `leave()` afterwards); false when full.
    func enter() async -> Bool {
        enum Decision { case run, wait, refuse }
        let decision: Decision = state.withLock { state in
            if state.active < limit { state.active += 1; return .run }
            return state.waiters.count < queueLimit ? .wait : .refuse
        }
        switch decision {
        case .run: return true
        case .refuse: return false
        case .wait:
            await withCheckedContinuation { continuation in
                let admitted: Bool = state.withLock { state in
                    // The slot may have freed between the decision and now.
                    if state.active < limit { state.active += 1; return true }
                    state.waiters.append(continuation)
                    return false
                }
                if admitted { continuation.resume() }
            }
            return true
        }
    }

    /// Gives the slot to the first waiter, or frees it.
    func leave() {
        let next: CheckedContinuation<Void, Never>? = state.withLock { state in
            if state.waiters.isEmpty { state.active -= 1; return nil }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
