import Dispatch
import Synchronization
import RenumManifest

extension AgentRuntime {
    /// Invokes `capability` of the agent's active version (or of `version`) with `input`
    /// (JSON bytes). Never throws: every refusal is an outcome code, e.g. AGENT_NOT_FOUND,
    /// VERSION_NOT_FOUND, UNKNOWN_CAPABILITY, INVALID_INPUT, CONCURRENCY_LIMIT,
    /// PLUGIN_TIMEOUT, the plugin's own error code, PLUGIN_ERROR, INVALID_OUTPUT.
    public func invoke(agentID: String, version: SemanticVersion? = nil, capability: String, input: [UInt8],
                       caller: CallerContext = CallerContext()) async -> InvocationResult {
        let target: PluginVersion
        switch resolve(agentID: agentID, version: version) {
        case .success(let found): target = found
        case .failure(let error):
            let result = InvocationResult.failure(error.code, error.message)
            notify(agentID: agentID, capability: capability, caller: caller, result)
            return result
        }
        let cancellation = CancellationFlag()
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<InvocationResult, Never>) in
                start(target, capability: capability, input: input, caller: caller, cancellation: cancellation, continuation)
            }
        } onCancel: {
            cancellation.raise()
        }
        notify(agentID: agentID, capability: capability, caller: caller, result)
        return result
    }

    /// Admits the call, arms its deadline and hands it to a plugin thread.
    private func start(_ target: PluginVersion, capability: String, input: [UInt8], caller: CallerContext,
                       cancellation: CancellationFlag, _ continuation: CheckedContinuation<InvocationResult, Never>) {
        let plugin = target.plugin
        let began = Clock.monotonicNanoseconds()
        let completion = Completion(continuation)
        let work: @Sendable () -> Void = {
            // Timed out while queued: the caller has its answer; the plugin is never called.
            guard !completion.isDone else { return }
            let result = plugin.invoke(capability: capability, input: input, caller: caller, cancellation: cancellation)
            // A late result (after the timeout) is dropped; its buffers were freed in invoke.
            completion.finish(result)
        }
        // The deadline is armed before the work is handed over: were this thread preempted in
        // between, a plugin thread could otherwise run the call to its end before any deadline existed.
        let timeout = plugin.manifest.policy.timeoutMilliseconds
        let timer = DispatchSource.makeTimerSource(queue: Self.timerQueue)
        timer.schedule(deadline: .now() + .milliseconds(timeout))
        timer.setEventHandler {
            cancellation.raise() // is_cancelled returns 1 from now on
            var metering = Metering()
            metering.wallNanoseconds = Clock.monotonicNanoseconds() &- began
            completion.finish(.failure("PLUGIN_TIMEOUT", "\(plugin.manifest.agentID) \(plugin.manifest.version) did not answer within \(timeout) ms",
                                       metering: metering, version: plugin.manifest.version))
        }
        completion.arm(timer)
        timer.resume()
        switch target.gate.admit(work) {
        case .run:
            pool.submit { [gate = target.gate] in
                var job = work
                while true {
                    job()
                    guard let next = gate.finish() else { return }
                    job = next
                }
            }
        case .queued:
            break
        case .full:
            completion.finish(.failure("CONCURRENCY_LIMIT", "\(plugin.manifest.agentID) \(plugin.manifest.version) is at its limit of \(target.gate.maxConcurrency) concurrent calls and \(target.gate.queueLimit) queued", version: plugin.manifest.version))
        case .retired:
            completion.finish(.failure("VERSION_NOT_FOUND", "\(plugin.manifest.agentID) \(plugin.manifest.version) has been retired", version: plugin.manifest.version))
        }
    }

    private func notify(agentID: String, capability: String, caller: CallerContext, _ result: InvocationResult) {
        guard !observers.isEmpty else { return }
        let record = InvocationRecord(agentID: agentID, version: result.version, capability: capability, userID: caller.userID,
                                      requestID: caller.requestID, outcomeCode: result.outcome.code, metering: result.metering)
        for observer in observers { observer.invocationFinished(record) }
    }

    /// Deadlines fire here: a serial queue of Dispatch's own threads, not the cooperative pool.
    static let timerQueue = DispatchQueue(label: "renum.runtime.deadlines")
}

/// Resumes a call's continuation exactly once, whichever comes first: the plugin's result,
/// the deadline, or an admission refusal; and cancels the deadline timer when done.
final class Completion: Sendable {
    private struct State: @unchecked Sendable {
        // @unchecked: the timer source is only touched under the lock.
        var continuation: CheckedContinuation<InvocationResult, Never>?
        var timer: (any DispatchSourceTimer)?
        var done = false
    }

    private let state: Mutex<State>

    init(_ continuation: CheckedContinuation<InvocationResult, Never>) {
        state = Mutex(State(continuation: continuation))
    }

    var isDone: Bool { state.withLock { $0.done } }

    /// Keeps the deadline timer so finishing cancels it (or cancels it now if already done).
    func arm(_ timer: any DispatchSourceTimer) {
        let cancelNow = state.withLock { state -> Bool in
            if state.done { return true }
            state.timer = timer
            return false
        }
        if cancelNow { timer.cancel() }
    }

    /// Delivers `result` if nothing was delivered yet; returns whether it was.
    @discardableResult
    func finish(_ result: InvocationResult) -> Bool {
        let taken = state.withLock { state -> (CheckedContinuation<InvocationResult, Never>, (any DispatchSourceTimer)?)? in
            guard !state.done, let continuation = state.continuation else { return nil }
            state.done = true
            state.continuation = nil
            defer { state.timer = nil }
            return (continuation, state.timer)
        }
        guard let (continuation, timer) = taken else { return false }
        timer?.cancel()
        continuation.resume(returning: result)
        return true
    }
}
