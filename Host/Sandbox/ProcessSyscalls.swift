// The one file for the host's process plumbing: socketpair, mkdtemp, posix_spawn, waitpid, kill.
#if canImport(Glibc)
import Glibc
#endif
internal import CSeccomp

/// A failed process operation: which, and errno.
struct ProcessError: Error, Sendable, CustomStringConvertible {
    let operation: String
    let code: Int32
    var description: String { "\(operation): \(String(cString: strerror(code)))" }
}

/// How a child process ended (from waitpid's status).
enum ProcessExit: Sendable, Equatable {
    case exited(Int32)
    case signaled(Int32)

    /// From waitpid's status word (WIFEXITED / WTERMSIG are macros: decoded by hand).
    init(waitStatus status: Int32) {
        let signal = status & 0x7F
        self = signal == 0 ? .exited((status >> 8) & 0xFF) : .signaled(signal)
    }

    /// As a shell reports it: the exit code, or 128 + the signal.
    var shellStatus: Int32 {
        switch self {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
    }
}

enum ProcessSyscalls {
    /// A connected AF_UNIX stream pair, both ends close-on-exec (the child's end is dup2'ed
    /// onto fd 3 at spawn, which clears the flag on that copy only).
    static func socketPair() throws(ProcessError) -> (host: Int32, worker: Int32) {
        var fds: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw ProcessError(operation: "socketpair", code: errno)
        }
        // dup2(3, 3) would keep close-on-exec: move the worker's end off fd 3 first.
        if fds[1] == 3 {
            let moved = fcntl(3, F_DUPFD_CLOEXEC, 10)
            guard moved >= 0 else { throw ProcessError(operation: "fcntl(F_DUPFD_CLOEXEC)", code: errno) }
            close(3)
            fds[1] = moved
        }
        return (fds[0], fds[1])
    }

    /// A new directory, mode 0700 (mkdtemp), under /tmp.
    static func makePrivateDirectory(prefix: String) throws(ProcessError) -> String {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        let result = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard result != nil else { throw ProcessError(operation: "mkdtemp", code: errno) }
        return String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })
    }

    /// True when the host runs as root.
    static var isRoot: Bool { geteuid() == 0 }

    /// Gives the worker's private directory to the identity it will run as (still mode 0700).
    static func giveDirectory(_ path: String, uid: UInt32, gid: UInt32) throws(ProcessError) {
        guard chown(path, uid, gid) == 0 else { throw ProcessError(operation: "chown(\(path))", code: errno) }
    }

    /// Copies `source` to `destination` (created 0400), owned by uid/gid when given: the
    /// worker's own copy of its artifact, readable after it dropped privileges, while the
    /// host's artifact store stays private.
    static func copyFile(_ source: String, to destination: String, uid: UInt32?, gid: UInt32?) throws(ProcessError) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw ProcessError(operation: "open(\(source))", code: errno) }
        defer { close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o400)
        guard output >= 0 else { throw ProcessError(operation: "open(\(destination))", code: errno) }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count == 0 { break }
            guard count > 0 else {
                if errno == EINTR { continue }
                throw ProcessError(operation: "read(\(source))", code: errno)
            }
            var written = 0
            while written < count {
                let n = buffer.withUnsafeBytes { write(output, $0.baseAddress! + written, count - written) }
                guard n > 0 else {
                    if errno == EINTR { continue }
                    throw ProcessError(operation: "write(\(destination))", code: errno)
                }
                written += n
            }
        }
        if let uid, let gid, fchown(output, uid, gid) != 0 { throw ProcessError(operation: "fchown(\(destination))", code: errno) }
    }

    /// posix_spawn (never fork: the host is threaded) of `path` with exactly `arguments` and
    /// `environment`, `directory` as its cwd, stdin/stdout/stderr on /dev/null, `channelFD`
    /// as fd 3 and no other descriptor, default signal dispositions, an empty signal mask,
    /// and its own process group.
    static func spawn(path: String, arguments: [String], environment: [String], directory: String, channelFD: Int32) throws(ProcessError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] {
            posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, channelFD, 3)
        renum_spawn_closefrom(&actions, 4)
        renum_spawn_chdir(&actions, directory)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argv = cStrings([path] + arguments), envp = cStrings(environment)
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attributes, argv + [nil], envp + [nil])
        guard rc == 0 else { throw ProcessError(operation: "posix_spawn(\(path))", code: rc) }
        return pid
    }

    /// strdup'd copies for argv/envp; the caller frees them.
    static func cStrings(_ strings: [String]) -> [UnsafeMutablePointer<CChar>?] { strings.map { strdup($0) } }

    /// Blocks until `pid` has ended, leaving it a zombie (waitid WNOWAIT): its pid cannot be
    /// reused until `wait`, so a kill racing with the death never hits another process.
    static func waitForExitWithoutReaping(_ pid: pid_t) {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 {
            if errno != EINTR { return }
        }
    }

    /// Blocks until `pid` ends and reaps it.
    static func wait(_ pid: pid_t) -> ProcessExit {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return .exited(-1) }
        }
        return ProcessExit(waitStatus: status)
    }

    /// kill(pid, signal); false when the process does not exist (any more).
    @discardableResult static func signal(_ pid: pid_t, _ signal: Int32) -> Bool { kill(pid, signal) == 0 }

    /// Removes `path` and everything under it (the worker's private directory).
    static func removeTree(_ path: String) {
        guard let directory = opendir(path) else { unlink(path); return }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name == "." || name == ".." { continue }
            let child = path + "/" + name
            if entry.pointee.d_type == UInt8(DT_DIR) { removeTree(child) } else { unlink(child) }
        }
        closedir(directory)
        rmdir(path)
    }
}
