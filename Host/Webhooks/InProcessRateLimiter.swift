import Foundation
import Synchronization

/// GCRA with the TAT table in this process: exact for one host.
///
/// The table is split into shards by key hash, each behind its own mutex, so requests
/// for different integrations rarely wait on each other while one key's
/// read-modify-write stays atomic. A key whose TAT has passed holds no information
/// (it behaves exactly like a missing key), so shards drop such keys as they grow.
public final class InProcessRateLimiter: RateLimiter {
    private final class Shard: Sendable {
        struct State {
            var tats: [String: Int64] = [:]
            /// Sweep for expired keys when the table reaches this size; doubling it after
            /// each sweep keeps the cost amortised O(1) per request.
            var sweepAt = 64
        }

        let state = Mutex(State())
    }

    private let shards: [Shard]

    /// A limiter with `shardCount` independently locked shards (rounded up to at least 1).
    public init(shardCount: Int = 64) {
        shards = (0..<max(1, shardCount)).map { _ in Shard() }
    }

    public func admit(key: String, limit: RateLimit, now: Date) -> RateDecision {
        let nowNanos = Self.nanos(now)
        return shard(for: key).state.withLock { state in
            let outcome = GCRA.step(tat: state.tats[key], now: nowNanos, limit: limit)
            if let newTAT = outcome.newTAT {
                state.tats[key] = newTAT
                if state.tats.count >= state.sweepAt {
                    Self.sweep(&state, now: nowNanos)
                }
            }
            return outcome.decision
        }
    }

    /// Drops every key that has gone back to idle by `now`.
    public func evictExpired(now: Date) {
        let nowNanos = Self.nanos(now)
        for shard in shards {
            shard.state.withLock { Self.sweep(&$0, now: nowNanos) }
        }
    }

    /// How many keys the table holds (expired ones included until swept).
    public var trackedKeyCount: Int {
        shards.reduce(0) { total, shard in total + shard.state.withLock { $0.tats.count } }
    }

    private func shard(for key: String) -> Shard {
        var hasher = Hasher()
        hasher.combine(key)
        let index = Int(UInt(bitPattern: hasher.finalize()) % UInt(shards.count))
        return shards[index]
    }

    private static func sweep(_ state: inout Shard.State, now: Int64) {
        state.tats = state.tats.filter { $0.value > now }
        state.sweepAt = max(64, state.tats.count * 2)
    }

    /// Nanoseconds since the reference date: `Date` stores that interval, so this keeps
    /// the most precision a `Date` has (going through 1970 adds rounding).
    static func nanos(_ date: Date) -> Int64 {
        saturatingNanos(date.timeIntervalSinceReferenceDate)
    }

    /// The largest time value the arithmetic uses (2^61 ns, about 73 years):
    /// a sum of three such values still fits in Int64.
    static let maxNanos: Int64 = 1 << 61

    /// Seconds as nanoseconds, clamped to ±`maxNanos`: `Date.distantFuture` or an absurd
    /// period must not trap.
    static func saturatingNanos(_ seconds: Double) -> Int64 {
        guard seconds.isFinite else { return seconds > 0 ? maxNanos : -maxNanos }
        let limit = Double(maxNanos)  // 2^61 is exact in a Double
        return Int64(min(max((seconds * 1e9).rounded(), -limit), limit))
    }
}
