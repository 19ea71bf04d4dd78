import Dispatch
import RenumRuntime

extension PluginWorker {
    /// Starts one worker process (blocking).
    func spawn() -> Result<WorkerProcess, LoadError> {
        do {
            let process = try WorkerProcess.start(manifest: manifest, manifestJSON: manifestJSON, artifactPath: artifactPath, sha256: sha256,
                                                  config: config, services: services, options: options) { [weak self] dead in
                self?.processExited(dead)
            }
            return .success(process)
        } catch {
            return .failure(error)
        }
    }

    /// The worker to send a call to: the current one, or the replacement being started (or
    /// one started now, after an earlier replacement failed); nil when stopped or unstartable.
    func currentProcess() async -> WorkerProcess? {
        enum Step { case ready(WorkerProcess), wait, startOne, none }
        let step: Step = state.withLock { state in
            if let current = state.current { return .ready(current) }
            if state.stopped { return .none }
            if state.replacing { return .wait }
            state.replacing = true
            return .startOne
        }
        switch step {
        case .ready(let process): return process
        case .none: return nil
        case .startOne:
            DispatchQueue.global().async { self.replace() }
            fallthrough
        case .wait:
            return await withCheckedContinuation { continuation in
                let now: WorkerProcess?? = state.withLock { state in
                    guard state.replacing else { return .some(state.current) }
                    state.waiters.append(continuation)
                    return .none
                }
                if case .some(let process) = now { continuation.resume(returning: process) }
            }
        }
    }

    /// The reader thread of a dead worker: detach it at once, start its replacement (unless
    /// stopped) on another thread.
    func processExited(_ dead: WorkerProcess) {
        let replace: Bool = state.withLock { state in
            guard state.current === dead else { return false }
            state.current = nil
            guard !state.stopped, !state.replacing else { return false }
            state.replacing = true
            return true
        }
        if replace { DispatchQueue.global().async { self.replace() } }
    }

    /// Starts a replacement (the caller set `replacing`), then wakes whoever waits for it.
    func replace() {
        let started = spawn()
        let (waiters, stopNow): ([CheckedContinuation<WorkerProcess?, Never>], WorkerProcess?) = state.withLock { state in
            state.replacing = false
            state.restarts += 1
            var stopNow: WorkerProcess?
            switch started {
            case .success(let process):
                if state.stopped { stopNow = process } else { state.current = process }
                state.lastStartError = nil
            case .failure(let error):
                state.lastStartError = error
            }
            defer { state.waiters = [] }
            return (state.waiters, stopNow)
        }
        stopNow?.stop(grace: options.stopGrace)
        let process = stopNow == nil ? try? started.get() : nil
        for waiter in waiters { waiter.resume(returning: process) }
    }
}
