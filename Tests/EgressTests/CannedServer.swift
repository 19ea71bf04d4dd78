import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 with canned answers per path, for egress tests.
///
/// Accepts on a thread of its own and serves each connection on another, so blocking
/// clients, slow endpoints and many concurrent requests all work. Every request is
/// recorded so a test can check that none arrived.
final class CannedServer: @unchecked Sendable {
    /// One request as the server read it.
    struct Seen: Sendable {
        let method: String
        let path: String
        /// Names lowercased.
        let headers: [String: String]
        let body: [UInt8]
    }

    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var seen: [Seen] = []

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw -> Bool in
                bind(listener, raw, length) == 0 && listen(listener, 128) == 0 && getsockname(listener, raw, &length) == 0
            }
        }
        guard bound else { throw CocoaError(.fileWriteUnknown) }
        port = Int(UInt16(bigEndian: address.sin_port))
        // The accept thread alone closes the listener, after accept fails: closing it from
        // `stop()` could let another test's socket reuse the number while this thread
        // (perhaps not yet started) still calls accept on it.
        Thread { [weak self] in
            defer { close(listener) }
            while true {
                let fd = accept(listener, nil, nil)
                if fd < 0 { if errno == EINTR { continue } else { return } }
                guard let self else { close(fd); return }
                Thread { self.serve(fd) }.start()
            }
        }.start()
    }

    /// Stops accepting: later connections are refused (open ones finish on their own).
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
    }

    /// Requests received so far.
    var requests: [Seen] {
        lock.lock(); defer { lock.unlock() }
        return seen
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let request = readRequest(fd) else { return }
        lock.lock(); seen.append(request); lock.unlock()
        respond(to: request, fd: fd)
    }

    private func readRequest(_ fd: Int32) -> Seen? {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        let separator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int? = nil
        while headEnd == nil {
            let n = recv(fd, &chunk, chunk.count, 0)
            guard n > 0 else { return nil }
            buffer += chunk[0..<n]
            headEnd = buffer.indices.dropLast(3).first { buffer[$0...].starts(with: separator) }
        }
        let head = String(decoding: buffer[..<headEnd!], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count == 3 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(buffer[(headEnd! + 4)...])
        let length = headers["content-length"].flatMap { Int($0) } ?? 0
        while body.count < length {
            let n = recv(fd, &chunk, chunk.count, 0)
            guard n > 0 else { return nil }
            body += chunk[0..<n]
        }
        return Seen(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body)
    }

    private func respond(to request: Seen, fd: Int32) {
        let path = request.path
        let base = "http://127.0.0.1:\(port)"
        switch path {
        case "/json":
            send(fd, status: 200, headers: ["Content-Type": "application/json"], body: Array(#"{"ok":true}"#.utf8))
        case "/echo":
            let object: [String: Any] = ["method": request.method, "path": request.path, "headers": request.headers,
                                         "body": String(decoding: request.body, as: UTF8.self)]
            let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])).map { Array($0) } ?? []
            send(fd, status: 200, headers: ["Content-Type": "application/json"], body: body)
        case _ where path.hasPrefix("/redirect/"):
            let n = Int(path.dropFirst("/redirect/".count)) ?? 0
            if n <= 0 {
                send(fd, status: 200, headers: ["Content-Type": "application/json"], body: Array(#"{"ok":true}"#.utf8))
            } else {
                // Alternate relative and absolute Locations to exercise both.
                let location = n % 2 == 0 ? "/redirect/\(n - 1)" : "\(base)/redirect/\(n - 1)"
                send(fd, status: 302, headers: ["Location": location], body: [])
            }
        case "/to-localhost-echo":
            send(fd, status: 307, headers: ["Location": "http://localhost:\(port)/echo"], body: [])
        case "/to-metadata":
            send(fd, status: 302, headers: ["Location": "http://169.254.169.254/latest/meta-data/"], body: [])
        case "/to-other":
            send(fd, status: 302, headers: ["Location": "http://not-allowed.example/"], body: [])
        case "/to-ftp":
            send(fd, status: 302, headers: ["Location": "ftp://127.0.0.1/file"], body: [])
        case "/see-other":
            send(fd, status: 303, headers: ["Location": "/echo"], body: [])
        case "/temporary":
            send(fd, status: 307, headers: ["Location": "echo"], body: [])
        case "/slow":
            // Never answers: holds the connection until the client gives up (or 5 s).
            var scratch = [UInt8](repeating: 0, count: 16)
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            _ = recv(fd, &scratch, scratch.count, 0)
        case "/big":
            send(fd, status: 200, headers: ["Content-Type": "application/octet-stream"],
                 body: [UInt8](repeating: 0x61, count: 10 << 20))
        case "/big-unannounced":
            // No Content-Length: only the write-callback cap can stop this one.
            writeAll(fd, Array("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".utf8))
            let block = [UInt8](repeating: 0x62, count: 64 << 10)
            for _ in 0..<160 { guard writeAll(fd, block) else { return } }
        case "/huge-headers":
            send(fd, status: 200, headers: ["X-Filler": String(repeating: "x", count: 100_000)], body: [])
        case "/binary":
            send(fd, status: 200, headers: [:], body: [0xff, 0xfe, 0x00, 0x01])
        default:
            send(fd, status: 404, headers: [:], body: Array("not found".utf8))
        }
    }

    private func send(_ fd: Int32, status: Int, headers: [String: String], body: [UInt8]) {
        var head = "HTTP/1.1 \(status) Canned\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        _ = writeAll(fd, Array(head.utf8)) && writeAll(fd, body)
    }

    /// False once the peer has gone (MSG_NOSIGNAL: no SIGPIPE when the client aborts).
    @discardableResult
    private func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }
}
