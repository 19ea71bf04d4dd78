import Foundation

/// A rate: `count` requests per `period`, with bursts of up to `burst + 1` at once.
///
/// `burst` follows redis-cell: the number of requests allowed *beyond* the first in a
/// burst from idle. The default, `count - 1`, lets a whole period's quota through at
/// once while the sustained rate stays `count / period`.
public struct RateLimit: Sendable, Hashable {
    /// Requests per period, sustained; at least 1.
    public let count: Int
    /// The period in seconds; positive.
    public let period: TimeInterval
    /// Extra requests a burst from idle may carry (redis-cell's `max_burst`).
    public let burst: Int

    /// A limit; `burst` defaults to `count - 1` (a full period's quota at once).
    /// Counts below 1, non-positive periods and negative bursts are raised to the least valid value.
    public init(count: Int, period: TimeInterval, burst: Int? = nil) {
        let count = max(1, count)
        self.count = count
        self.period = period > 0 ? period : 1
        self.burst = max(0, burst ?? count - 1)
    }

    /// `count` per minute with a burst of the whole minute's quota: `rate_limit_per_minute`.
    public static func perMinute(_ count: Int) -> RateLimit {
        RateLimit(count: count, period: 60)
    }

    /// The emission interval T = period / count, in nanoseconds, rounded *up* so that
    /// integer rounding can never let more than `count` through in a sustained period.
    var emissionIntervalNanos: Int64 {
        let periodNanos = InProcessRateLimiter.saturatingNanos(period)
        let count = Int64(count)
        return max(1, (periodNanos + count - 1) / count)
    }

    /// The tolerance tau = T × (burst + 1), in nanoseconds.
    var toleranceNanos: Int64 {
        let (product, overflow) = emissionIntervalNanos.multipliedReportingOverflow(by: Int64(burst) + 1)
        return overflow ? InProcessRateLimiter.maxNanos : min(product, InProcessRateLimiter.maxNanos)
    }
}
