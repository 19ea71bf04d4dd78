import Synchronization

/// Wakes idle job workers when a job is committed, so a fresh delivery does not wait out the poll interval.
///
/// A ring with no waiter is remembered (one pending flag), so a job committed just before a
/// worker goes to sleep is not missed; the poll interval bounds the wait in any case.
final class WorkSignal: Sendable {
    private struct State {
        var pending = false
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        /// Waits that ended by timeout before their waiter registered: it must not block.
        var abandoned: Set<Int> = []
    }

    private let state = Mutex(State())

    func ring() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            if state.waiters.isEmpty { state.pending = true; return [] }
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns at the next ring, or after `seconds`, whichever comes first.
    func wait(upTo seconds: Double) async {
        let id = state.withLock { state -> Int in
            defer { state.nextID &+= 1 }
            return state.nextID
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [self] in
                await withCheckedContinuation { continuation in
                    let resumeNow = state.withLock { state -> Bool in
                        if state.abandoned.remove(id) != nil { return true }
                        if state.pending { state.pending = false; return true }
                        state.waiters[id] = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            }
            group.addTask {
                try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
            }
            await group.next()
            group.cancelAll()
            // The sleeper may have won: release this wait's own waiter, and only it. (Ringing
            // here woke every other idle worker, which then woke this one: a busy loop.)
            let own = state.withLock { state -> CheckedContinuation<Void, Never>? in
                if let continuation = state.waiters.removeValue(forKey: id) { return continuation }
                state.abandoned.insert(id)   // not registered yet, or already resumed by a ring
                return nil
            }
            own?.resume()
        }
        // A ring may have resumed the waiter before the timeout path marked it abandoned.
        state.withLock { _ = $0.abandoned.remove(id) }
    }
}
