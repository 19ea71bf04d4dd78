import Synchronization

/// Decides per capability whether a call's CPU time is read from the thread CPU clock.
///
/// The clock is a syscall (about 600 ns per read on this machine), so reading it around a
/// call that itself takes 50 ns would make metering cost 25 times the call. A capability
/// whose recent calls (an exponential moving average of on_invoke time) stay under
/// `threshold` is metered with its wall time instead; any call over the threshold pushes
/// the average up at once, so the next calls are measured exactly. New capabilities start
/// measured.
final class CPUSampler: Sendable {
    /// Calls shorter than this on average are not worth two syscalls.
    static let threshold: UInt64 = 20_000

    /// Moving average of on_invoke time in ns; races between threads only blur it.
    private let average = Atomic<UInt64>(UInt64.max / 2)

    var shouldMeasure: Bool { average.load(ordering: .relaxed) >= Self.threshold }

    func record(_ nanoseconds: UInt64) {
        let current = average.load(ordering: .relaxed)
        // A long call takes over immediately; short ones pull the average down gradually.
        let next = nanoseconds >= Self.threshold ? max(nanoseconds, current) : current - current / 8 + nanoseconds / 8
        average.store(min(next, UInt64.max / 2), ordering: .relaxed)
    }
}
