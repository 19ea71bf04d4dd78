/// The generic cell rate algorithm as redis-cell runs it, on integer nanoseconds so
/// that bursts from idle admit exactly `burst + 1` requests (no float drift).
enum GCRA {
    /// What one step decided, and the TAT to store (nil: leave the stored value as is).
    struct Outcome {
        let decision: RateDecision
        let newTAT: Int64?
    }

    /// One request at `now` against the stored theoretical arrival time `tat` (nil when idle).
    static func step(tat storedTAT: Int64?, now: Int64, limit: RateLimit) -> Outcome {
        let interval = limit.emissionIntervalNanos
        let tolerance = limit.toleranceNanos
        let tat = max(storedTAT ?? now, now)
        let newTAT = tat + interval
        let allowAt = newTAT - tolerance
        if now < allowAt {
            let decision = RateDecision(
                allowed: false,
                retryAfter: seconds(allowAt - now),
                remaining: 0,
                resetAfter: seconds(tat - now),
                limit: limit.count)
            return Outcome(decision: decision, newTAT: nil)
        }
        let remaining = Int((now - allowAt) / interval)
        let decision = RateDecision(
            allowed: true,
            retryAfter: 0,
            remaining: remaining,
            resetAfter: seconds(newTAT - now),
            limit: limit.count)
        return Outcome(decision: decision, newTAT: newTAT)
    }

    static func seconds(_ nanos: Int64) -> Double {
        Double(nanos) / 1e9
    }
}
