import Foundation
#if canImport(Glibc)
import Glibc
#endif
internal import CSeccomp

/// A child process run with posix_spawn, its output drained by threads of its own.
///
/// Why not Foundation's `Process`: on Linux (Swift 6.3) its `run()` lists /proc/self/fd and
/// copies each entry's full 256-byte name, which reads past glibc's buffer and crashes now and
/// then in a process with many descriptors open (swift-corelibs-foundation PR #5472). Here the
/// child gets stdin, stdout and stderr and nothing else (closefrom in the spawn actions), and
/// output is read as it comes, so a chatty child never blocks on a full pipe.
public final class ChildProcess: @unchecked Sendable {
    // Sendable by contract: `pid` is immutable and `shared` is a lock-guarded box.
    public let pid: Int32
    /// What the output threads fill in. Kept apart from `self` so that those threads do not keep
    /// the ChildProcess alive: dropping it must still kill a child that is still running.
    private final class Shared: @unchecked Sendable {
        let condition = NSCondition()
        // Guarded by `condition`.
        var state = (stdout: [UInt8](), stderr: [UInt8](), openStreams: 0, status: Int32?.none)
    }
    private let shared = Shared()
    private var condition: NSCondition { shared.condition }

    /// Where a child's output goes.
    public enum Output: Sendable {
        /// /dev/null.
        case discard
        /// Collected; read it with `output()` / `errors()` once the child has ended.
        case capture
        /// stderr only: into the same pipe as stdout.
        case toStdout
    }

    public struct SpawnError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Starts `executable` (an absolute path) with `arguments`. `environment` nil inherits ours;
    /// `input` is written to its stdin, which is then closed (nil: /dev/null).
    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                input: [UInt8]? = nil, stdout: Output = .capture, stderr: Output = .capture) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var parentEnds: [(fd: Int32, isError: Bool)] = []
        var childEnds: [Int32] = []
        defer { childEnds.forEach { close($0) } }

        var stdinWriter: Int32 = -1
        if input != nil {
            let (read, write) = try Self.pipe()
            childEnds.append(read)
            stdinWriter = write
            posix_spawn_file_actions_adddup2(&actions, read, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        var stdoutWrite: Int32 = -1
        if stdout == .capture {
            let (read, write) = try Self.pipe()
            parentEnds.append((read, false))
            childEnds.append(write)
            stdoutWrite = write
            posix_spawn_file_actions_adddup2(&actions, write, 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        switch stderr {
        case .capture:
            let (read, write) = try Self.pipe()
            parentEnds.append((read, true))
            childEnds.append(write)
            posix_spawn_file_actions_adddup2(&actions, write, 2)
        case .toStdout where stdoutWrite >= 0:
            posix_spawn_file_actions_adddup2(&actions, stdoutWrite, 2)
        case .discard, .toStdout:
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        renum_spawn_closefrom(&actions, 3)

        let environmentList = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let argv = ProcessSyscalls.cStrings([executable] + arguments), envp = ProcessSyscalls.cStrings(environmentList)
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv + [nil], envp + [nil])
        guard rc == 0 else {
            parentEnds.forEach { close($0.fd) }
            if stdinWriter >= 0 { close(stdinWriter) }
            throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(rc)))")
        }
        self.pid = pid
        shared.state.openStreams = parentEnds.count
        for end in parentEnds { drain(end.fd, isError: end.isError) }
        if let input, stdinWriter >= 0 {
            let writer = stdinWriter
            Thread {
                input.withUnsafeBytes { bytes in
                    var offset = 0
                    while offset < bytes.count {
                        let written = write(writer, bytes.baseAddress! + offset, bytes.count - offset)
                        if written > 0 { offset += written } else if errno != EINTR { break }
                    }
                }
                close(writer)
            }.start()
        }
    }

    /// Runs to the end and returns its exit status and output (stderr captured apart).
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           input: [UInt8]? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let child = try ChildProcess(executable, arguments, environment: environment, input: input)
        let status = child.waitUntilExit()
        return (status, String(decoding: child.output(), as: UTF8.self), String(decoding: child.errors(), as: UTF8.self))
    }

    /// Whether the child has not ended yet (reaps it when it has).
    public var isRunning: Bool { exitStatus == nil }

    /// The exit status (128 + the signal for a child killed by one), or nil while it runs.
    public var exitStatus: Int32? {
        condition.lock()
        defer { condition.unlock() }
        if shared.state.status == nil { shared.state.status = Self.reap(pid, blocking: false) }
        return shared.state.status
    }

    /// Blocks until the child has ended and its output is all in; returns its status.
    @discardableResult
    public func waitUntilExit() -> Int32 {
        condition.lock()
        defer { condition.unlock() }
        if shared.state.status == nil {
            condition.unlock()
            let status = Self.reap(pid, blocking: true)
            condition.lock()
            if shared.state.status == nil { shared.state.status = status }
        }
        while shared.state.openStreams > 0 { condition.wait() }
        return shared.state.status ?? -1
    }

    /// Sends `signal` unless the child was already reaped (its pid could belong to another process by then).
    public func signal(_ number: Int32) {
        condition.lock()
        defer { condition.unlock() }
        if shared.state.status == nil { kill(pid, number) }
    }

    /// Captured stdout so far (all of it once `waitUntilExit` returned).
    public func output() -> [UInt8] { condition.lock(); defer { condition.unlock() }; return shared.state.stdout }

    /// Captured stderr so far.
    public func errors() -> [UInt8] { condition.lock(); defer { condition.unlock() }; return shared.state.stderr }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            _ = Self.reap(pid, blocking: true)
        }
    }

    private func drain(_ fd: Int32, isError: Bool) {
        let shared = self.shared
        Thread {
            let condition = shared.condition
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                condition.lock()
                if isError { shared.state.stderr += buffer[..<count] } else { shared.state.stdout += buffer[..<count] }
                condition.unlock()
            }
            close(fd)
            condition.lock()
            shared.state.openStreams -= 1
            condition.broadcast()
            condition.unlock()
        }.start()
    }

    private static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard Glibc.pipe(&fds) == 0 else {
            throw SpawnError(description: "pipe: \(String(cString: strerror(errno)))")
        }
        // Not inherited by other children: every spawn here closes fds from 3 up, but a spawn
        // elsewhere (Foundation's) might not.
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return (fds[0], fds[1])
    }

    /// waitpid; nil when not blocking and the child still runs.
    private static func reap(_ pid: pid_t, blocking: Bool) -> Int32? {
        var status: Int32 = 0
        while true {
            let rc = waitpid(pid, &status, blocking ? 0 : WNOHANG)
            if rc == pid { break }
            if rc == 0 { return nil }
            if errno != EINTR { return -1 }
        }
        return ProcessExit(waitStatus: status).shellStatus
    }
}
