import Synchronization

/// Wakes idle job workers when a job is committed, so a fresh delivery does not wait out the poll interval.
///
/// A ring with no waiter is remembered (one pending flag), so a job committed just before a
/// worker goes to sleep is not missed; the poll interval bounds the wait in any case.
final class WorkSignal: Sendable {
    private struct State {
        var pending = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func ring() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            if state.waiters.isEmpty { state.pending = true; return [] }
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns at the next ring, or after `seconds`, whichever comes first.
    func wait(upTo seconds: Double) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [self] in
                await withCheckedContinuation { continuation in
                    let resumeNow = state.withLock { state -> Bool in
                        if state.pending { state.pending = false; return true }
                        state.waiters.append(continuation)
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            }
            group.addTask {
                try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
            }
            await group.next()
            // The sleeper may have won: ring once more so the waiting child can finish.
            group.cancelAll()
            self.ring()
        }
    }
}
