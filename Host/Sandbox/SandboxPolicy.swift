#if canImport(Glibc)
import Glibc
#endif
import RenumManifest

/// What a worker may do: its rlimits and its seccomp rules, derived from the manifest.
struct SandboxPolicy: Sendable {
    /// The plugin's memory budget, bytes (policy.max_memory_mb, at least 32 MiB).
    let memoryBudgetBytes: UInt64
    /// RLIMIT_AS: VmSize when the sandbox goes on + `runtimeMargin` + one 8 MiB stack per
    /// invoke thread + the budget.
    let addressSpaceBytes: UInt64
    /// Invoke threads (policy.max_concurrency, capped at 64).
    let threads: Int

    /// What the Swift runtime, libc, OpenSSL and the plugin image map beyond the VmSize
    /// measured before load (measured: a worker with c-echo loaded adds about 20 MiB of
    /// address space; 128 MiB leaves room for larger images and frame buffers).
    static let runtimeMargin: UInt64 = 128 << 20
    /// Stack size of each invoke thread.
    static let threadStackBytes = 8 << 20
    /// RLIMIT_CPU: cumulative over the worker's life, so only a backstop (the per-call
    /// deadline is the host's SIGKILL); 24 h soft (SIGXCPU), hard 60 s later (SIGKILL).
    static let cpuSeconds: UInt64 = 24 * 3600
    /// RLIMIT_NOFILE: the socket, stdio, the plugin's image and a few files.
    static let openFiles: UInt64 = 32
    /// RLIMIT_FSIZE: the largest file the plugin may write (in its private directory).
    static let fileSizeBytes: UInt64 = 64 << 20

    /// CLONE_THREAD (sched.h; the Glibc module hides the Linux-only flags).
    static let cloneThread: UInt64 = 0x0001_0000
    /// CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET.
    static let cloneNamespaceFlags: [UInt64] = [0x0002_0000, 0x0200_0000, 0x0400_0000, 0x0800_0000, 0x1000_0000, 0x2000_0000, 0x4000_0000]

    init(manifest: PluginManifest, addressSpaceNow: UInt64) {
        memoryBudgetBytes = UInt64(max(manifest.policy.maxMemoryMegabytes, 32)) << 20
        threads = min(max(manifest.policy.maxConcurrency, 1), 64)
        addressSpaceBytes = addressSpaceNow + Self.runtimeMargin + UInt64(threads * Self.threadStackBytes) + memoryBudgetBytes
    }

    /// The rlimits, applied before the plugin is loaded.
    func applyLimits() throws(SandboxError) {
        try SandboxSyscalls.setLimit(__rlimit_resource_t(RLIMIT_AS.rawValue), soft: addressSpaceBytes, hard: addressSpaceBytes, name: "AS")
        try SandboxSyscalls.setLimit(__rlimit_resource_t(RLIMIT_CPU.rawValue), soft: Self.cpuSeconds, hard: Self.cpuSeconds + 60, name: "CPU")
        try SandboxSyscalls.setLimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), soft: Self.openFiles, hard: Self.openFiles, name: "NOFILE")
        try SandboxSyscalls.setLimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), soft: 0, hard: 0, name: "CORE")
        try SandboxSyscalls.setLimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), soft: Self.fileSizeBytes, hard: Self.fileSizeBytes, name: "FSIZE")
        // RLIMIT_NPROC is not set: root ignores it, and for other users it counts threads
        // (0 would forbid our own invoke threads). New processes are refused by seccomp
        // instead (clone without CLONE_THREAD, fork, vfork, clone3).
    }

    /// The seccomp rules (default: allow).
    ///
    /// trap → EPERM (recorded; the call's failure becomes POLICY_DENIED): sockets and
    /// networking (socket, socketpair, connect, bind, listen, accept, accept4), new
    /// programs and processes (execve, execveat, fork, vfork, clone without CLONE_THREAD
    /// or with any CLONE_NEW* flag), other processes (ptrace, process_vm_readv/writev,
    /// kill/tgkill/rt_sigqueueinfo/rt_tgsigqueueinfo aimed at another pid, tkill, pidfd_open,
    /// pidfd_getfd, pidfd_send_signal, kcmp), namespaces and filesystems (unshare, setns,
    /// mount, umount2, pivot_root, chroot, fsopen, fsconfig, fsmount, move_mount, open_tree,
    /// mount_setattr, open_by_handle_at, name_to_handle_at), kernel attack surface (bpf,
    /// perf_event_open, userfaultfd, io_uring_setup/enter/register (io_uring would bypass
    /// this filter), keyctl, add_key, request_key, personality, iopl, ioperm, syslog, acct,
    /// quotactl), and the clock and host names (settimeofday, clock_settime, clock_adjtime,
    /// adjtimex, sethostname, setdomainname).
    /// trap → ENOMEM (recorded; becomes PLUGIN_MEMORY_LIMIT): mmap/mremap of more than the budget.
    /// errno ENOSYS: clone3 (its flags are behind a pointer, so unfilterable; glibc falls back to clone).
    /// kill the process (exit by SIGSYS → POLICY_DENIED): kexec_load, kexec_file_load,
    /// init_module, finit_module, delete_module, reboot, swapon, swapoff, which a root
    /// worker could otherwise really perform and no plugin has any use for.
    func seccompRules(pid: Int32) -> [SeccompFilter.Rule] {
        typealias Rule = SeccompFilter.Rule
        var rules: [Rule] = []
        let trapped = ["socket", "socketpair", "connect", "bind", "listen", "accept", "accept4",
                       "execve", "execveat", "fork", "vfork",
                       "ptrace", "process_vm_readv", "process_vm_writev", "tkill", "pidfd_open", "pidfd_getfd",
                       "pidfd_send_signal", "kcmp",
                       "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "fsopen", "fsconfig", "fsmount",
                       "move_mount", "open_tree", "mount_setattr", "open_by_handle_at", "name_to_handle_at",
                       "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
                       "keyctl", "add_key", "request_key", "personality", "iopl", "ioperm", "syslog", "acct", "quotactl",
                       "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "sethostname", "setdomainname"]
        rules += trapped.map { Rule(syscall: $0, action: .trap, condition: .always) }
        // clone: threads only (CLONE_THREAD set), and no new namespaces.
        rules.append(Rule(syscall: "clone", action: .trap, condition: .masked(arg: 0, mask: SandboxPolicy.cloneThread, value: 0)))
        for flag in SandboxPolicy.cloneNamespaceFlags {
            rules.append(Rule(syscall: "clone", action: .trap, condition: .masked(arg: 0, mask: flag, value: flag)))
        }
        rules.append(Rule(syscall: "clone3", action: .errno(ENOSYS), condition: .always))
        // Signals only to ourselves (abort() and pthread_kill use tgkill on our own pid).
        for name in ["kill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo"] {
            rules.append(Rule(syscall: name, action: .trap, condition: .notEqual(arg: 0, value: UInt64(UInt32(bitPattern: pid)))))
        }
        rules.append(Rule(syscall: "mmap", action: .trap, condition: .greater(arg: 1, value: memoryBudgetBytes)))
        rules.append(Rule(syscall: "mremap", action: .trap, condition: .greater(arg: 2, value: memoryBudgetBytes)))
        let fatal = ["kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot", "swapon", "swapoff"]
        rules += fatal.map { Rule(syscall: $0, action: .killProcess, condition: .always) }
        return rules
    }
}
