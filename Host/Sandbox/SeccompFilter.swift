// The one file that calls libseccomp.
#if canImport(Glibc)
import Glibc
#endif
internal import CSeccomp

/// A seccomp failure: the libseccomp call and its negative errno.
struct SeccompError: Error, Sendable, CustomStringConvertible {
    let operation: String
    let code: Int32
    var description: String { "\(operation) failed: \(String(cString: strerror(-code)))" }
}

/// The worker's system call filter (default allow; see `SandboxPolicy.seccompRules`).
/// Built and loaded once, for every thread of the process (TSYNC).
enum SeccompFilter {
    /// What to do with a matching call.
    enum Action: Sendable {
        /// SIGSYS to the thread; the worker's handler makes it fail with EPERM (ENOMEM for
        /// mmap/mremap) and records it, so the call's failure can be reported as POLICY_DENIED.
        case trap
        /// Fail with this errno, unrecorded (for calls libc probes and falls back from).
        case errno(Int32)
        /// Kill the whole process at once (SIGSYS exit): calls with no business in a plugin.
        case killProcess
    }

    /// One rule: a syscall name, and optionally a condition on one argument.
    struct Rule: Sendable {
        enum Condition: Sendable {
            case always
            /// (arg & mask) == value
            case masked(arg: UInt32, mask: UInt64, value: UInt64)
            /// arg > value
            case greater(arg: UInt32, value: UInt64)
            /// arg != value
            case notEqual(arg: UInt32, value: UInt64)
        }
        let syscall: String
        let action: Action
        let condition: Condition
    }

    /// Loads `rules` into the kernel for every thread. Names unknown to this kernel/arch are skipped.
    static func load(_ rules: [Rule]) throws(SeccompError) {
        guard let context = seccomp_init(renum_seccomp_act_allow()) else {
            throw SeccompError(operation: "seccomp_init", code: -ENOMEM)
        }
        defer { seccomp_release(context) }
        var rc = seccomp_attr_set(context, SCMP_FLTATR_CTL_TSYNC, 1)
        guard rc == 0 else { throw SeccompError(operation: "seccomp_attr_set(TSYNC)", code: rc) }
        // no_new_privs is set by the worker itself before (prctl); libseccomp need not.
        rc = seccomp_attr_set(context, SCMP_FLTATR_CTL_NNP, 0)
        guard rc == 0 else { throw SeccompError(operation: "seccomp_attr_set(NNP)", code: rc) }
        for rule in rules {
            let number = seccomp_syscall_resolve_name(rule.syscall)
            guard number != __NR_SCMP_ERROR else { continue }
            let action: UInt32
            switch rule.action {
            case .trap: action = renum_seccomp_act_trap()
            case .errno(let code): action = renum_seccomp_act_errno(code)
            case .killProcess: action = renum_seccomp_act_kill_process()
            }
            switch rule.condition {
            case .always: rc = renum_seccomp_rule(context, action, number)
            case .masked(let arg, let mask, let value): rc = renum_seccomp_rule_masked(context, action, number, arg, mask, value)
            case .greater(let arg, let value): rc = renum_seccomp_rule_greater(context, action, number, arg, value)
            case .notEqual(let arg, let value): rc = renum_seccomp_rule_not_equal(context, action, number, arg, value)
            }
            guard rc == 0 else { throw SeccompError(operation: "seccomp_rule_add(\(rule.syscall))", code: rc) }
        }
        rc = seccomp_load(context)
        guard rc == 0 else { throw SeccompError(operation: "seccomp_load", code: rc) }
    }

    /// The name of syscall `number` (for messages), or its number.
    static func name(of number: Int32) -> String {
        guard let name = seccomp_syscall_resolve_num_arch(seccomp_arch_native(), number) else { return "syscall \(number)" }
        defer { free(name) }
        return String(cString: name)
    }
}

/// The trap/fault handlers and per-thread refusal records of the worker (C, in CSeccomp's shim).
enum SandboxSignals {
    /// Installs the SIGSYS handler (trapped calls fail with an errno) and the fault handlers
    /// (a crash after the memory budget ran out exits `memoryLimitExitCode`).
    static func install(memoryBudgetBytes: Int) -> Bool { renum_sandbox_install_handlers(memoryBudgetBytes) == 0 }
    /// The address space right after load is where the plugin's budget starts.
    static func setBaseline() { renum_sandbox_set_baseline() }
    /// The call refused on this thread since last asked, if any (and forgets it).
    static func takeDeniedSyscall() -> Int32? {
        let number = renum_sandbox_take_denied_syscall()
        return number < 0 ? nil : number
    }
    /// True when an over-budget allocation was refused on this thread since last asked.
    static func takeMemoryRefused() -> Bool { renum_sandbox_take_memory_refused() != 0 }
    /// True when the address space grew by ≥ 90% of the budget since load.
    static func nearMemoryLimit() -> Bool { renum_sandbox_near_memory_limit() != 0 }
    /// VmSize now, bytes.
    static func addressSpaceBytes() -> Int { renum_address_space_bytes() }
    /// The worker's exit code for "the plugin ran out of memory".
    static let memoryLimitExitCode: Int32 = 70
}
