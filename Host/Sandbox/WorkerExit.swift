#if canImport(Glibc)
import Glibc
#endif

/// Maps how a worker ended onto the error code its calls in flight get.
///
/// Rules, in order:
/// - killed by the host because a call passed policy.timeout_ms: that call PLUGIN_TIMEOUT,
///   the others in flight PLUGIN_CRASHED ("killed with a timed-out call");
/// - exit 70 (the worker's fault handler: a crash after an over-budget allocation was
///   refused, or with the address space grown ≥ 90% of the budget since load): PLUGIN_MEMORY_LIMIT;
/// - SIGSYS (seccomp killed the process: kexec, module loading, reboot, swap): POLICY_DENIED;
/// - SIGXCPU (RLIMIT_CPU): PLUGIN_TIMEOUT;
/// - any other signal (SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE, SIGKILL from elsewhere,
///   e.g. the OOM killer) or exit status: PLUGIN_CRASHED.
enum WorkerExit {
    /// The code and message for the calls in flight when the worker ended.
    static func classify(_ exit: ProcessExit, killedForTimeout: Bool) -> (code: String, message: String) {
        if killedForTimeout {
            return ("PLUGIN_CRASHED", "the worker was killed because another call on it exceeded policy.timeout_ms")
        }
        switch exit {
        case .exited(Int32(SandboxSignals.memoryLimitExitCode)):
            return ("PLUGIN_MEMORY_LIMIT", "the plugin exceeded policy.max_memory_mb and its worker died")
        case .exited(let status):
            return ("PLUGIN_CRASHED", "the plugin's worker exited with status \(status)")
        case .signaled(SIGSYS):
            return ("POLICY_DENIED", "the sandbox killed the plugin's worker for a forbidden system call")
        case .signaled(SIGXCPU):
            return ("PLUGIN_TIMEOUT", "the plugin's worker exhausted its CPU time limit")
        case .signaled(let signal):
            return ("PLUGIN_CRASHED", "the plugin's worker died of \(name(signal))")
        }
    }

    static func name(_ signal: Int32) -> String {
        switch signal {
        case SIGSEGV: return "SIGSEGV"
        case SIGBUS: return "SIGBUS"
        case SIGABRT: return "SIGABRT"
        case SIGILL: return "SIGILL"
        case SIGFPE: return "SIGFPE"
        case SIGKILL: return "SIGKILL"
        case SIGTRAP: return "SIGTRAP"
        default: return "signal \(signal)"
        }
    }
}
