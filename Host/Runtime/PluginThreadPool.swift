import Foundation
import Synchronization

/// Dedicated threads for plugin code, which blocks: running it on Swift's cooperative pool
/// (one thread per core here) would stall every task in the process.
///
/// Threads are started on demand (up to `maximumThreads`) and then kept, waiting for work;
/// jobs beyond that wait in a FIFO. The per-version limits in `VersionGate` keep the number
/// of jobs bounded well before this cap in normal operation.
final class PluginThreadPool: Sendable {
    typealias Job = @Sendable () -> Void

    private struct State {
        var jobs: [Job] = []
        var head = 0
        var idle = 0
        var threads = 0
    }

    private let state = Mutex(State())
    private let condition = NSCondition()
    let maximumThreads: Int
    private let stackSize: Int

    /// A pool of at most `maximumThreads` threads with `stackSize`-byte stacks (plugins may recurse).
    init(maximumThreads: Int = 512, stackSize: Int = 8 << 20) {
        self.maximumThreads = maximumThreads
        self.stackSize = stackSize
    }

    /// Runs `job` on a pool thread.
    func submit(_ job: @escaping Job) {
        condition.lock()
        let spawn = state.withLock { state -> Bool in
            state.jobs.append(job)
            if state.idle > 0 || state.threads >= maximumThreads { return false }
            state.threads += 1
            return true
        }
        condition.signal()
        condition.unlock()
        if spawn { start() }
    }

    /// Threads started so far.
    var threadCount: Int { state.withLock { $0.threads } }

    private func start() {
        let thread = Thread { [self] in loop() }
        thread.stackSize = stackSize
        thread.name = "renum-plugin"
        thread.start()
    }

    private func loop() {
        while true {
            condition.lock()
            var job: Job?
            while true {
                job = state.withLock { state -> Job? in
                    guard state.head < state.jobs.count else { return nil }
                    let next = state.jobs[state.head]
                    state.head += 1
                    if state.head > 64, state.head * 2 > state.jobs.count {
                        state.jobs.removeFirst(state.head)
                        state.head = 0
                    }
                    return next
                }
                if job != nil { break }
                state.withLock { $0.idle += 1 }
                condition.wait()
                state.withLock { $0.idle -= 1 }
            }
            condition.unlock()
            job?()
        }
    }
}
