import Foundation

/// Exponential backoff with jitter (Temporal's fields): `initial × coefficient^(attempt-1)`,
/// capped at `maximum`, then "equal jitter": half the delay fixed, half random, so retries of
/// many jobs that failed together spread out instead of arriving again as one wave.
struct RetryPolicy: Sendable {
    var initialInterval: Double = 1
    var coefficient: Double = 2
    var maximumInterval: Double = 100
    var maximumAttempts = 5

    /// The delay before the attempt after `attempt` (1-based), in seconds.
    func delay(after attempt: Int, random: Double = Double.random(in: 0...1)) -> Double {
        let exponent = Double(max(0, attempt - 1))
        let base = min(maximumInterval, initialInterval * pow(coefficient, exponent))
        return base / 2 + base / 2 * random
    }

    /// Whether a job that just failed its `attempt` of `maxAttempts` may be tried again.
    func mayRetry(attempt: Int, maxAttempts: Int) -> Bool {
        attempt < maxAttempts
    }
}
