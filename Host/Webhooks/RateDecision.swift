/// The answer to one `admit` call, with the values of the rate-limit response headers.
public struct RateDecision: Sendable, Hashable {
    /// Whether the request may proceed.
    public let allowed: Bool
    /// Seconds until a retry could succeed; 0 when allowed.
    public let retryAfter: Double
    /// Requests that could still pass right now after this one.
    public let remaining: Int
    /// Seconds until the limiter is back to idle (a full burst available).
    public let resetAfter: Double
    /// The sustained limit, `count` per period.
    public let limit: Int

    /// A decision from its parts.
    public init(allowed: Bool, retryAfter: Double, remaining: Int, resetAfter: Double, limit: Int) {
        self.allowed = allowed
        self.retryAfter = retryAfter
        self.remaining = remaining
        self.resetAfter = resetAfter
        self.limit = limit
    }

    /// `Retry-After` in whole seconds, rounded up (rounding down would invite a retry
    /// that is refused again); nil when allowed.
    public var retryAfterHeader: String? {
        allowed ? nil : String(Self.wholeSecondsUp(retryAfter))
    }

    /// The `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` headers, plus
    /// `Retry-After` when refused.
    public var headers: [(name: String, value: String)] {
        var result: [(name: String, value: String)] = [
            ("RateLimit-Limit", String(limit)),
            ("RateLimit-Remaining", String(remaining)),
            ("RateLimit-Reset", String(Self.wholeSecondsUp(resetAfter))),
        ]
        if let retry = retryAfterHeader { result.append(("Retry-After", retry)) }
        return result
    }

    static func wholeSecondsUp(_ seconds: Double) -> Int {
        // A hair of tolerance so that 1.000000001 from float noise does not become 2.
        max(0, Int((seconds - 1e-6).rounded(.up)))
    }
}
