import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A response as the test client read it off the wire.
public struct TestResponse: Sendable {
    public let status: Int
    /// Header names lowercased.
    public let headers: [String: String]
    public let body: [UInt8]

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as a JSON object (empty when it is not one).
    public var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
    }

    public var jsonArray: [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [[String: Any]] ?? []
    }
}

public struct TestClientError: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}

/// A minimal HTTP/1.1 client over a real TCP socket, for talking to the real server.
///
/// Socket work runs on a thread of its own, never on Swift's cooperative pool, which the
/// server under test needs for its handlers.
public struct TestHTTPClient: Sendable {
    public let host: String
    public let port: Int

    public init(host: String = "127.0.0.1", port: Int) {
        self.host = host
        self.port = port
    }

    /// Sends one request on a new connection (`Connection: close`) and reads the whole response.
    public func send(_ method: String, _ path: String, headers: [String: String] = [:], body: [UInt8]? = nil,
                     timeout: Double = 10) async throws -> TestResponse {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        let bytes = Array(head.utf8) + (body ?? [])
        let host = self.host, port = self.port
        return try await Self.onThread {
            let socket = try RawSocket.connect(host: host, port: port, timeout: timeout)
            defer { socket.close() }
            try socket.write(bytes)
            return try Self.parse(socket.readToEnd())
        }
    }

    /// JSON convenience: encodes `json` as the body with Content-Type application/json.
    public func sendJSON(_ method: String, _ path: String, token: String? = nil, json: Any? = nil,
                         headers: [String: String] = [:]) async throws -> TestResponse {
        var all = headers
        if let token { all["Authorization"] = "Bearer \(token)" }
        var body: [UInt8]? = nil
        if let json {
            body = Array(try JSONSerialization.data(withJSONObject: json))
            all["Content-Type"] = "application/json"
        }
        return try await send(method, path, headers: all, body: body)
    }

    /// Runs blocking work on a fresh thread and awaits its result.
    public static func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.start()
        }
    }

    static func parse(_ raw: [UInt8]) throws -> TestResponse {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = raw.indices.first(where: { raw[$0...].starts(with: separator) }) else {
            throw TestClientError(description: "no complete response head in \(raw.count) bytes")
        }
        let head = String(decoding: raw[..<end], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw TestClientError(description: "bad status line")
        }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = headers[name].map { $0 + ", " + value } ?? value
        }
        var body = Array(raw[(end + 4)...])
        if let length = headers["content-length"].flatMap({ Int($0) }), body.count > length {
            body = Array(body.prefix(length))
        }
        return TestResponse(status: status, headers: headers, body: body)
    }
}

/// A blocking TCP socket with timeouts, for tests that need to misbehave (slow clients).
public final class RawSocket: @unchecked Sendable {
    // Used by one test thread at a time.
    private var fd: Int32

    private init(fd: Int32) { self.fd = fd }

    public static func connect(host: String, port: Int, timeout: Double = 10) throws -> RawSocket {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestClientError(description: "socket failed") }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        inet_pton(AF_INET, host, &address.sin_addr)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            Glibc.close(fd)
            throw TestClientError(description: "connect to \(host):\(port) failed: errno \(errno)")
        }
        return RawSocket(fd: fd)
    }

    public func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { throw TestClientError(description: "send failed: errno \(errno)") }
            offset += n
        }
    }

    /// Reads until the peer closes (or the receive timeout passes, which throws).
    public func readToEnd() throws -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return out }
            if n < 0 {
                if errno == EINTR { continue }
                throw TestClientError(description: "recv failed: errno \(errno) after \(out.count) bytes")
            }
            out.append(contentsOf: buffer[..<n])
        }
    }

    /// True when the peer has closed the connection: a read returns end of stream (or a reset)
    /// within `timeout` seconds.
    public func isClosedByPeer(within timeout: Double) -> Bool {
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return true }
            if n < 0 { return errno == ECONNRESET }
        }
    }

    public func close() {
        if fd >= 0 { Glibc.close(fd); fd = -1 }
    }

    deinit { close() }
}
