import Foundation
import RenumSandbox
#if canImport(Glibc)
import Glibc
#endif

/// The built `renum` executable run as a real child process.
public final class RenumProcess: @unchecked Sendable {
    // Used from one test at a time.
    private let child: ChildProcess
    public let port: Int

    /// Where `swift build` put the executable: RENUM_BIN, or beside the test bundle.
    public static func executablePath() throws -> String {
        if let path = ProcessInfo.processInfo.environment["RENUM_BIN"] { return path }
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundleDirectory, bundleDirectory.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("renum").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw TestClientError(description: "the renum executable was not found beside \(bundleDirectory.path); run `swift build` before `swift test` (the Makefile does) or set RENUM_BIN")
    }

    /// A free loopback port (bound then released; a race with another process is possible but rare).
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw -> Int32 in
                _ = bind(fd, raw, length)
                return getsockname(fd, raw, &length)
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    public init(arguments: [String], environment: [String: String], port: Int) throws {
        self.port = port
        child = try ChildProcess(try Self.executablePath(), arguments, environment: environment, stdout: .discard, stderr: .capture)
    }

    /// The server's process id.
    public var pid: Int32 { child.pid }

    /// Polls /healthz until it answers (or `timeout` passes).
    public func waitUntilHealthy(timeout: Double = 20) async throws {
        let client = TestHTTPClient(port: port)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let status = child.exitStatus { throw TestClientError(description: "renum exited early with \(status)") }
            if let response = try? await client.send("GET", "/healthz", timeout: 1), response.status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestClientError(description: "renum did not become healthy within \(timeout)s")
    }

    public func signal(_ number: Int32) { child.signal(number) }

    /// Waits for exit and returns the status (128 + the signal when killed by one; nil after `timeout`).
    public func waitForExit(timeout: Double = 20) async -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while child.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        guard !child.isRunning else { return nil }
        let child = self.child
        // Exited: wait (briefly) for the rest of its stderr to be read in.
        return await withCheckedContinuation { done in Thread { done.resume(returning: child.waitUntilExit()) }.start() }
    }

    /// Everything the process wrote to stderr (all of it once it exited).
    public func stderrText() -> String {
        String(decoding: child.errors(), as: UTF8.self)
    }
}
