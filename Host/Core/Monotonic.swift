#if canImport(Glibc)
import Glibc
#endif

/// A monotonic clock for durations, immune to wall-clock jumps: one reading, in nanoseconds,
/// through the vDSO (no syscall). Every module that times something reads this one.
public enum Monotonic {
    @inline(__always)
    public static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}
