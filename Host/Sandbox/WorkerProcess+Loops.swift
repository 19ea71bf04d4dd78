import Dispatch
import Foundation
import RenumRuntime
import RenumCore

extension WorkerProcess {
    /// The reader thread: results to their callers, host requests to the services; at EOF
    /// or on garbage, reap, fail every call in flight, and hand over to `onExit`.
    func readLoop(onExit: @Sendable (WorkerProcess) -> Void) {
        while true {
            let frame: Frame
            do {
                frame = try channelReceive()
            } catch {
                if error != .closed { logger.warning("worker protocol error; killing it", ["pid": String(pid), "error": error.description]) }
                break
            }
            guard handle(frame) else {
                logger.warning("worker sent an unexpected frame; killing it", ["pid": String(pid), "kind": "\(frame.kind)"])
                break
            }
        }
        kill()
        ProcessSyscalls.waitForExitWithoutReaping(pid)
        let exit = state.withLock { state in
            state.reaped = true
            state.exited = true
            return ProcessSyscalls.wait(pid)
        }
        // The owner detaches this worker before the failed calls' callers resume, so their
        // next call already waits for the replacement.
        onExit(self)
        finish(exit)
    }

    /// The watchdog thread: SIGKILLs the worker when a call passes its deadline. Polls every
    /// 5 ms while calls are in flight, every 50 ms when idle (a deadline is enforced within
    /// 5 ms, or 50 ms for the first call after a pause), without touching the invoke path.
    func watchLoop() {
        while true {
            usleep(state.withLock { $0.calls.isEmpty } ? 50_000 : 5_000)
            let now = Monotonic.now()
            let (exited, late) = lateCall(now: now)
            if exited { return }
            if late != nil {
                logger.warning("plugin call exceeded policy.timeout_ms; killing its worker", ["pid": String(pid)])
                kill()
                return
            }
        }
    }

    /// false for a frame a worker must not send (the worker is then killed).
    private func handle(_ frame: Frame) -> Bool {
        switch frame.kind {
        case .result:
            guard let result = try? ResultMessage.decode(frame.payload), let pending = takeCall(frame.id) else { return false }
            logGateFinished(frame.id)
            pending.continuation.resume(returning: result)
            return true
        case .hostRequest:
            guard let request = try? HostRequest.decode(frame.payload) else { return false }
            serve(request, requestID: frame.id)
            return true
        default:
            return false
        }
    }
}

extension WorkerProcess {
    func channelReceive() throws(FrameError) -> Frame { try channel.receive() }

    func takeCall(_ id: UInt64) -> PendingCall? { state.withLock { $0.calls.removeValue(forKey: id) } }

    func logGateFinished(_ id: UInt64) { logGate.finished(callID: id) }

    /// Whether the process is gone, and a call past its deadline (recorded as the timed-out one).
    func lateCall(now: UInt64) -> (exited: Bool, late: UInt64?) {
        state.withLock { state in
            guard !state.exited else { return (true, nil) }
            guard let late = state.calls.first(where: { $0.value.deadline < now })?.key else { return (false, nil) }
            state.timedOutCall = late
            return (false, late)
        }
    }

    /// After reaping: every call in flight fails with the code the exit maps to.
    func finish(_ exit: ProcessExit) {
        exitStatus.withLock { $0 = exit }
        let (calls, timedOut, stopping) = state.withLock { state in
            state.exited = true
            defer { state.calls = [:] }
            return (state.calls, state.timedOutCall, state.stopping)
        }
        if !(stopping && exit == .exited(0)) {
            logger.warning("plugin worker ended", ["pid": String(pid), "exit": "\(exit)", "calls_in_flight": String(calls.count)])
        }
        for (id, pending) in calls {
            let (code, message) = id == timedOut
                ? ("PLUGIN_TIMEOUT", "the call exceeded policy.timeout_ms (\(pending.call.manifest.policy.timeoutMilliseconds) ms); its worker was killed")
                : WorkerExit.classify(exit, killedForTimeout: timedOut != nil)
            pending.continuation.resume(returning: Self.failure(code, message))
        }
        channel.close()
        ProcessSyscalls.removeTree(directory)
        reaped.signal()
    }

    /// Answers a host request with the host's own services (policy lives there). Requests
    /// name their call; one not in flight on this worker is refused (a forged or stale id).
    func serve(_ request: HostRequest, requestID: UInt64) {
        switch request {
        case .log(let callID, let level, let message):
            let call = callID == 0 ? nil : state.withLock { $0.calls[callID]?.call }
            switch logGate.admit(callID: callID, bytes: message.utf8.count) {
            case .pass: services.log(level, message, call: call)
            case .dropFirst(let warning): services.log(.warning, warning, call: call)
            case .drop: break
            }
        case .http(let callID, _), .credential(let callID, _):
            guard let call = state.withLock({ $0.calls[callID]?.call }) else {
                reply(requestID, .denied(code: "UNKNOWN_CALL", message: "no such call in flight"))
                return
            }
            let services = self.services
            DispatchQueue.global().async { [self] in
                let result: HostCallResult
                switch request {
                case .http(_, let body): result = services.httpRequest(body, call: call)
                case .credential(_, let serviceType): result = services.credential(serviceType: serviceType, call: call)
                case .log: return
                }
                reply(requestID, result)
            }
        }
    }

    private func reply(_ requestID: UInt64, _ result: HostCallResult) {
        try? channel.send(Frame(kind: .hostReply, id: requestID, payload: HostReply.encode(result)))
    }
}
