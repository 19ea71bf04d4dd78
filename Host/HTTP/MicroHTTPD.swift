import CMicroHTTPD
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Every call into libmicrohttpd goes through here; nothing above this file sees a C pointer.
///
/// Ownership: `MicroHTTPDDaemon` owns the `MHD_Daemon*` and stops it in `stop()` (or deinit).
/// A `ConnectionHandle` is borrowed: valid from the access callback that produced it until
/// the request-completed callback of its request.
struct ConnectionHandle: @unchecked Sendable {
    // Sendable by contract: libmicrohttpd allows resume_connection from any thread, and the
    // other calls are made only from its own callbacks for this connection.
    let raw: OpaquePointer

    /// Header fields of the request (MHD_ValueKind.HEADER_KIND).
    func headers() -> HTTPHeaders {
        var headers = HTTPHeaders()
        withUnsafeMutablePointer(to: &headers) { pointer in
            _ = MHD_get_connection_values(raw, MHD_ValueKind.HEADER_KIND, { cls, _, key, value in
                guard let cls, let key else { return MHD_Result.YES }
                let headers = cls.assumingMemoryBound(to: HTTPHeaders.self)
                headers.pointee.add(String(cString: key), value.map { String(cString: $0) } ?? "")
                return MHD_Result.YES
            }, pointer)
        }
        return headers
    }

    /// Query arguments, percent-decoded by libmicrohttpd (MHD_ValueKind.GET_ARGUMENT_KIND).
    func queryArguments() -> [String: String] {
        var query: [String: String] = [:]
        withUnsafeMutablePointer(to: &query) { pointer in
            _ = MHD_get_connection_values(raw, MHD_ValueKind.GET_ARGUMENT_KIND, { cls, _, key, value in
                guard let cls, let key else { return MHD_Result.YES }
                let query = cls.assumingMemoryBound(to: [String: String].self)
                query.pointee[String(cString: key)] = value.map { String(cString: $0) } ?? ""
                return MHD_Result.YES
            }, pointer)
        }
        return query
    }

    /// The peer's IP address as text.
    func clientAddress() -> String {
        guard let address = renum_mhd_client_address(raw) else { return "" }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                var addr = v4.pointee.sin_addr
                _ = inet_ntop(AF_INET, &addr, &buffer, socklen_t(buffer.count))
            }
        case AF_INET6:
            address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                var addr = v6.pointee.sin6_addr
                _ = inet_ntop(AF_INET6, &addr, &buffer, socklen_t(buffer.count))
            }
        default:
            return ""
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Hands a response to libmicrohttpd (which copies the body). Call only from the access callback.
    func queue(_ response: Response) -> Bool {
        let mhdResponse: OpaquePointer? = response.body.withUnsafeBytes { raw in
            // MHD_ResponseMemoryMode(rawValue: 2): libmicrohttpd copies the bytes before returning.
            MHD_create_response_from_buffer(raw.count, UnsafeMutableRawPointer(mutating: raw.baseAddress),
                                            MHD_ResponseMemoryMode(rawValue: 2)!)
        }
        guard let mhdResponse else { return false }
        defer { MHD_destroy_response(mhdResponse) }
        // libmicrohttpd sets Content-Length itself from the body.
        for (name, value) in response.headers where !HTTPHeaders.sameName(name, "Content-Length") {
            _ = MHD_add_response_header(mhdResponse, name, value)
        }
        return MHD_queue_response(raw, UInt32(response.status), mhdResponse) == MHD_Result.YES
    }

    /// Stops polling this connection until `resume()`. Call only from the access callback.
    func suspend() { MHD_suspend_connection(raw) }

    /// Makes libmicrohttpd call the access handler again for this request. Any thread.
    func resume() { MHD_resume_connection(raw) }
}

/// The daemon handle and its start/stop calls.
final class MicroHTTPDDaemon: @unchecked Sendable {
    // Sendable by contract: `raw` is written once in init and cleared once in stop(),
    // which the owning HTTPServer serialises.
    private var raw: OpaquePointer?

    struct StartFailure: Error { let reason: String }

    init(configuration: HTTPServerConfiguration,
         accessHandler: MHD_AccessHandlerCallback,
         completedHandler: MHD_RequestCompletedCallback,
         context: UnsafeMutableRawPointer) throws(StartFailure) {
        var flags = MHD_USE_EPOLL_INTERNAL_THREAD.rawValue | MHD_ALLOW_SUSPEND_RESUME.rawValue
        var storage = sockaddr_storage()
        let host = configuration.host == "localhost" ? "127.0.0.1" : configuration.host
        let port = UInt16(truncatingIfNeeded: configuration.port).bigEndian
        let isIPv6 = host.contains(":")
        let parsed: Int32 = withUnsafeMutableBytes(of: &storage) { raw in
            if isIPv6 {
                let v6 = raw.baseAddress!.assumingMemoryBound(to: sockaddr_in6.self)
                v6.pointee.sin6_family = sa_family_t(AF_INET6)
                v6.pointee.sin6_port = port
                return inet_pton(AF_INET6, host, &v6.pointee.sin6_addr)
            } else {
                let v4 = raw.baseAddress!.assumingMemoryBound(to: sockaddr_in.self)
                v4.pointee.sin_family = sa_family_t(AF_INET)
                v4.pointee.sin_port = port
                return inet_pton(AF_INET, host, &v4.pointee.sin_addr)
            }
        }
        guard parsed == 1 else { throw StartFailure(reason: "'\(configuration.host)' is not an IP address") }
        if isIPv6 { flags |= MHD_USE_IPv6.rawValue }
        let daemon = withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                renum_mhd_start(flags, address, accessHandler, context, completedHandler, context,
                                UInt32(max(1, configuration.threads)),
                                UInt32(max(1, configuration.maxConnections)),
                                UInt32(max(1, configuration.connectionTimeoutSeconds)),
                                max(4096, configuration.maxHeaderBytes),
                                UInt32(max(0, configuration.maxConnectionsPerIP)),
                                UInt32(max(16, configuration.listenBacklog)))
            }
        }
        guard let daemon else {
            throw StartFailure(reason: "cannot listen on \(configuration.host):\(configuration.port) (\(String(cString: strerror(errno))))")
        }
        raw = daemon
    }

    /// The bound port (resolves port 0).
    var port: Int {
        guard let raw else { return 0 }
        return Int(renum_mhd_bound_port(raw))
    }

    /// Stops accepting new connections; those already open keep being served.
    func quiesce() {
        guard let raw else { return }
        let fd = MHD_quiesce_daemon(raw)
        if fd >= 0 { close(fd) }
    }

    /// Closes every connection and joins libmicrohttpd's threads.
    func stop() {
        guard let raw else { return }
        self.raw = nil
        MHD_stop_daemon(raw)
    }

    deinit { stop() }
}
