// The one file for the worker's process-level restrictions: prctl, unshare, setrlimit, getrusage.
#if canImport(Glibc)
import Glibc
#endif
internal import CSeccomp

/// A failed system call while building the sandbox: which, and errno.
struct SandboxError: Error, Sendable, CustomStringConvertible {
    let operation: String
    let code: Int32
    var description: String { "\(operation): \(String(cString: strerror(code)))" }
}

enum SandboxSyscalls {
    /// PR_SET_NO_NEW_PRIVS: no exec can ever gain privileges (setuid bits, file caps).
    static func setNoNewPrivileges() throws(SandboxError) {
        guard renum_set_no_new_privs() == 0 else { throw SandboxError(operation: "prctl(NO_NEW_PRIVS)", code: errno) }
    }

    /// PR_SET_DUMPABLE 0: no core dumps, and other processes of the same uid cannot ptrace us.
    static func setNotDumpable() {
        _ = renum_set_not_dumpable()
    }

    /// unshare(CLONE_NEWNET): an empty network namespace (only a down loopback). Needs
    /// CAP_SYS_ADMIN; fails with EPERM in unprivileged containers, which the caller logs.
    static func enterNewNetworkNamespace() throws(SandboxError) {
        guard renum_unshare(0x4000_0000 /* CLONE_NEWNET */) == 0 else { throw SandboxError(operation: "unshare(CLONE_NEWNET)", code: errno) }
    }

    /// Becomes `uid`/`gid` with no supplementary groups (root loses every capability with it):
    /// the plugin then reads only world-readable files and writes only world-writable places.
    static func dropIdentity(uid: UInt32, gid: UInt32) throws(SandboxError) {
        guard setgroups(0, nil) == 0 else { throw SandboxError(operation: "setgroups", code: errno) }
        guard renum_setresgid(gid) == 0 else { throw SandboxError(operation: "setresgid(\(gid))", code: errno) }
        guard renum_setresuid(uid) == 0 else { throw SandboxError(operation: "setresuid(\(uid))", code: errno) }
    }

    /// Opens `path` for a later `execute(fd:arguments:)` (while the path is still reachable).
    static func openExecutable(_ path: String) throws(SandboxError) -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SandboxError(operation: "open(\(path))", code: errno) }
        return fd
    }

    /// execveat(fd, AT_EMPTY_PATH) with `arguments` (argv[0] first) and the current
    /// environment. Returns only on failure.
    static func execute(fd: Int32, arguments: [String]) -> SandboxError {
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        _ = renum_exec_fd(fd, &argv)
        let code = errno
        argv.forEach { free($0) }
        return SandboxError(operation: "execveat", code: code)
    }

    /// Sets soft and hard limit of `resource` (never raises a hard limit: root could, we don't).
    static func setLimit(_ resource: __rlimit_resource_t, soft: UInt64, hard: UInt64, name: String) throws(SandboxError) {
        var limit = rlimit(rlim_cur: rlim_t(soft), rlim_max: rlim_t(hard))
        guard setrlimit(resource, &limit) == 0 else { throw SandboxError(operation: "setrlimit(\(name))", code: errno) }
    }

    /// The process's peak resident set (ru_maxrss), bytes.
    static func peakResidentBytes() -> UInt64 {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        return UInt64(max(usage.ru_maxrss, 0)) * 1024
    }

    /// CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID), nanoseconds.
    static func threadCPUNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
    }
}
