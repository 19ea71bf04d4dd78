import Synchronization
import RenumCore

/// Caps what one worker may log: lines per call and bytes per second (a token bucket).
/// Beyond either, lines are dropped, with one warning per call (or per second for
/// call-less lines); the plugin's call goes on.
final class LogGate: Sendable {
    enum Verdict: Equatable {
        case pass
        /// Drop this line, and log one warning about it (the first drop).
        case dropFirst(String)
        case drop
    }

    private struct State {
        var lines: [UInt64: Int] = [:]
        var warned: Set<UInt64> = []
        var tokens: Double
        var lastRefill: UInt64
        var warnedRateAt: UInt64 = 0
    }

    let linesPerCall: Int
    let bytesPerSecond: Int
    private let state: Mutex<State>

    init(linesPerCall: Int, bytesPerSecond: Int) {
        self.linesPerCall = linesPerCall
        self.bytesPerSecond = bytesPerSecond
        state = Mutex(State(tokens: Double(bytesPerSecond), lastRefill: Monotonic.now()))
    }

    func admit(callID: UInt64, bytes: Int) -> Verdict {
        let now = Monotonic.now()
        return state.withLock { state in
            let elapsed = Double(now &- state.lastRefill) / 1e9
            state.tokens = min(Double(bytesPerSecond), state.tokens + elapsed * Double(bytesPerSecond))
            state.lastRefill = now
            if callID != 0 {
                let count = state.lines[callID, default: 0] + 1
                state.lines[callID] = count
                if count > linesPerCall {
                    return state.warned.insert(callID).inserted
                        ? .dropFirst("log lines of this call beyond \(linesPerCall) are dropped") : .drop
                }
            }
            guard state.tokens >= Double(bytes) else {
                if callID != 0 {
                    return state.warned.insert(callID).inserted
                        ? .dropFirst("the worker logs more than \(bytesPerSecond) bytes/s; lines are dropped") : .drop
                }
                guard now &- state.warnedRateAt > 1_000_000_000 else { return .drop }
                state.warnedRateAt = now
                return .dropFirst("the worker logs more than \(bytesPerSecond) bytes/s; lines are dropped")
            }
            state.tokens -= Double(bytes)
            return .pass
        }
    }

    /// The call is over: forget its counters.
    func finished(callID: UInt64) {
        state.withLock { state in
            state.lines.removeValue(forKey: callID)
            state.warned.remove(callID)
        }
    }
}
