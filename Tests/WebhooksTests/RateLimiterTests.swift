import Foundation
import Synchronization
import Testing
@testable import RenumWebhooks

@Suite struct RateLimiterTests {
    /// Simulated clock in tenths of a second, so every instant is exact.
    private func tick(_ tenths: Int) -> Date { Date(timeIntervalSinceReferenceDate: 1_000_000 + Double(tenths) / 10) }

    @Test func fullQuotaPassesAtOnceFromIdleThenRefused() {
        let limiter = InProcessRateLimiter()
        let limit = RateLimit.perMinute(60)
        for expectedRemaining in stride(from: 59, through: 0, by: -1) {
            let decision = limiter.admit(key: "i1", limit: limit, now: tick(0))
            #expect(decision.allowed)
            #expect(decision.remaining == expectedRemaining)
        }
        let refused = limiter.admit(key: "i1", limit: limit, now: tick(0))
        #expect(!refused.allowed)
        #expect(refused.retryAfter == 1)
        #expect(refused.remaining == 0)
        #expect(refused.resetAfter == 60)
        #expect(refused.retryAfterHeader == "1")
        let headers = Dictionary(uniqueKeysWithValues: refused.headers.map { ($0.name, $0.value) })
        #expect(headers == ["RateLimit-Limit": "60", "RateLimit-Remaining": "0", "RateLimit-Reset": "60", "Retry-After": "1"])
        // Other keys are untouched.
        #expect(limiter.admit(key: "i2", limit: limit, now: tick(0)).allowed)
    }

    @Test func oneMorePassesAfterOneEmissionInterval() {
        let limiter = InProcessRateLimiter()
        let limit = RateLimit.perMinute(60)
        for _ in 0..<60 { #expect(limiter.admit(key: "k", limit: limit, now: tick(0)).allowed) }
        #expect(!limiter.admit(key: "k", limit: limit, now: tick(9)).allowed)
        #expect(limiter.admit(key: "k", limit: limit, now: tick(10)).allowed)
        let next = limiter.admit(key: "k", limit: limit, now: tick(10))
        #expect(!next.allowed)
        #expect(next.retryAfter == 1)
    }

    @Test func exactBurstForCountsThatDoNotDivideThePeriod() {
        for count in [1, 7, 13, 1000] {
            let limiter = InProcessRateLimiter()
            let limit = RateLimit.perMinute(count)
            let allowed = (0..<(count + 5)).filter { _ in limiter.admit(key: "k", limit: limit, now: tick(0)).allowed }.count
            #expect(allowed == count)
        }
        // Retry-After rounds up: 60 s / 7 = 8.57 s.
        let limiter = InProcessRateLimiter()
        for _ in 0..<7 { _ = limiter.admit(key: "k", limit: .perMinute(7), now: tick(0)) }
        #expect(limiter.admit(key: "k", limit: .perMinute(7), now: tick(0)).retryAfterHeader == "9")
    }

    /// A client hammering every 0.1 s for ten simulated minutes.
    @Test(arguments: [60, 7, 100])
    func sustainedRateNeverExceedsQuota(count: Int) {
        let limiter = InProcessRateLimiter()
        let limit = RateLimit.perMinute(count)
        let minute = 600
        let admitted = (0..<(10 * minute)).filter { limiter.admit(key: "k", limit: limit, now: tick($0)).allowed }
        func inWindow(from start: Int) -> Int { admitted.count { $0 >= start && $0 < start + minute } }
        // Once the initial burst is paid back (one period after it), every 60 s window holds at most `count`.
        for start in minute..<(9 * minute) {
            #expect(inWindow(from: start) <= count)
        }
        // The minute with the burst: the burst plus the sustained trickle, GCRA's bound.
        for start in 0..<minute {
            #expect(inWindow(from: start) <= 2 * count - 1)
        }
        // Over ten minutes: ten minutes' quota plus the one burst, nothing more.
        #expect(admitted.count <= 10 * count + count)
        #expect(admitted.count >= 10 * count)
    }

    @Test func irregularTrafficStaysWithinTheGCRABound() {
        let limiter = InProcessRateLimiter()
        let count = 20
        let limit = RateLimit.perMinute(count)
        var generator = SplitMix(seed: 42)
        var admitted: [Int] = []
        var now = 0
        while now < 6000 {
            let burst = Int(generator.next() % 30)
            for _ in 0..<burst where limiter.admit(key: "k", limit: limit, now: tick(now)).allowed { admitted.append(now) }
            now += Int(generator.next() % 200)
        }
        for start in 0..<6000 {
            #expect(admitted.count { $0 >= start && $0 < start + 600 } <= 2 * count)
        }
        #expect(admitted.count <= count * 10 + count)
    }

    @Test func exactUnderConcurrency() {
        let limiter = InProcessRateLimiter()
        let limit = RateLimit.perMinute(500)
        let now = tick(0)
        let allowed = Atomic<Int>(0)
        let allowedOther = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 64) { thread in
            for _ in 0..<200 {
                if limiter.admit(key: "hot", limit: limit, now: now).allowed { allowed.add(1, ordering: .relaxed) }
                if limiter.admit(key: "key-\(thread % 4)", limit: .perMinute(100), now: now).allowed {
                    allowedOther.add(1, ordering: .relaxed)
                }
            }
        }
        #expect(allowed.load(ordering: .relaxed) == 500)
        #expect(allowedOther.load(ordering: .relaxed) == 400)
    }

    @Test func idleKeysAreEvicted() {
        let limiter = InProcessRateLimiter(shardCount: 8)
        let limit = RateLimit.perMinute(1)
        // Each key is idle again a minute after its request; with the clock moving a
        // minute per key, the table may never grow with the number of keys seen.
        for index in 0..<20_000 {
            _ = limiter.admit(key: "key-\(index)", limit: limit, now: tick(index * 600))
        }
        #expect(limiter.trackedKeyCount <= 8 * 64)
        for index in 0..<1000 { _ = limiter.admit(key: "b-\(index)", limit: limit, now: tick(0)) }
        limiter.evictExpired(now: tick(20_000 * 600))
        #expect(limiter.trackedKeyCount == 0)
        // An evicted key behaves exactly like a new one.
        #expect(limiter.admit(key: "b-1", limit: limit, now: tick(20_000 * 600)).remaining == 0)
    }

    @Test func defaultsAndClamping() {
        #expect(RateLimit.perMinute(30).burst == 29)
        #expect(RateLimit(count: 10, period: 1, burst: 0).burst == 0)
        #expect(RateLimit(count: 0, period: -1).count == 1)
        let limiter = InProcessRateLimiter()
        let noBurst = RateLimit(count: 10, period: 1, burst: 0)
        #expect(limiter.admit(key: "k", limit: noBurst, now: tick(0)).allowed)
        #expect(!limiter.admit(key: "k", limit: noBurst, now: tick(0)).allowed)
        #expect(limiter.admit(key: "k", limit: noBurst, now: tick(1)).allowed)
    }
}

/// A small seeded generator, so the irregular-traffic test is reproducible.
struct SplitMix: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct RateLimiterExtremesTests {
    @Test func extremeDatesAndLimitsDoNotTrap() {
        let limiter = InProcessRateLimiter()
        _ = limiter.admit(key: "k", limit: .perMinute(10), now: .distantFuture)
        _ = limiter.admit(key: "k", limit: .perMinute(10), now: .distantPast)
        let huge = RateLimit(count: 1, period: 1e300, burst: Int.max / 2)
        #expect(limiter.admit(key: "h", limit: huge, now: Date()).allowed)
    }
}
