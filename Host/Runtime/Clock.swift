#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import RenumCore

/// The clocks metering reads: monotonic and realtime through the vDSO (no syscall), and
/// this thread's CPU time (CLOCK_THREAD_CPUTIME_ID, a cheap syscall).
enum Clock {
    @inline(__always) static func read(_ clock: clockid_t) -> UInt64 {
        var now = timespec()
        clock_gettime(clock, &now)
        return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
    }

    /// Monotonic nanoseconds, for durations (RenumCore's one clock).
    @inline(__always) static func monotonicNanoseconds() -> UInt64 { Monotonic.now() }
    /// Nanoseconds since the Unix epoch.
    static func realtimeNanoseconds() -> UInt64 { read(CLOCK_REALTIME) }
    /// CPU time of the calling thread.
    static func threadCPUNanoseconds() -> UInt64 { read(CLOCK_THREAD_CPUTIME_ID) }
}
