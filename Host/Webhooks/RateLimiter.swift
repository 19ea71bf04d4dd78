import Foundation

/// Admits or refuses requests per key under a `RateLimit`.
///
/// Implementation requirements: `admit` must be an atomic read-modify-write per key
/// (two concurrent calls for one key never both consume the last slot), must follow
/// GCRA as `GCRA.step` defines it so that backends agree, and must bound the memory
/// spent on keys that have gone idle. Backends: `InProcessRateLimiter` now; a shared
/// store (Redis with redis-cell semantics) for several hosts.
public protocol RateLimiter: Sendable {
    /// Decides one request for `key` at time `now`, consuming a slot when allowed.
    func admit(key: String, limit: RateLimit, now: Date) -> RateDecision
}
