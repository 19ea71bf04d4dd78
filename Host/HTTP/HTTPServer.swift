import CMicroHTTPD
import Foundation
import RenumObservability
import Synchronization

/// The HTTP server: libmicrohttpd's epoll threads in front of an `HTTPApplication`.
///
/// libmicrohttpd reads a request on one of its threads; once the body is in, the
/// connection is suspended and the request is answered by a Swift task, so a handler
/// that awaits (a group commit, say) never blocks the thread serving other connections.
/// The finished response is queued when libmicrohttpd calls back after `resume`.
public final class HTTPServer: Sendable {
    public let configuration: HTTPServerConfiguration
    private let core: ServerCore
    private let daemon: Mutex<MicroHTTPDDaemon?> = Mutex(nil)

    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    public init(configuration: HTTPServerConfiguration, application: HTTPApplication, logger: Logger) {
        self.configuration = configuration
        self.core = ServerCore(application: application, configuration: configuration, logger: logger)
    }

    /// Binds and starts serving. Throws when the address cannot be bound.
    public func start() throws(StartError) {
        let context = Unmanaged.passUnretained(core).toOpaque()
        do {
            let started = try MicroHTTPDDaemon(configuration: configuration, accessHandler: accessHandler,
                                               completedHandler: completedHandler, context: context)
            daemon.withLock { $0 = started }
        } catch {
            throw StartError(description: error.reason)
        }
    }

    /// The port actually bound (useful when configured with port 0).
    public var port: Int { daemon.withLock { $0?.port ?? 0 } }

    /// Method and pattern of every route, in registration order.
    public var routes: [(method: String, pattern: String)] {
        core.application.router.routes.map { ($0.method.rawValue, $0.pattern) }
    }

    /// Requests received and not yet completed.
    public var requestsInFlight: Int { core.inFlight.load(ordering: .relaxed) }

    /// Stops accepting connections, lets requests in flight finish (up to `grace` seconds;
    /// handlers already running are always awaited, since their connections cannot be
    /// closed under them), then closes every connection.
    public func shutdown(grace: Double = 10) {
        guard let daemon = daemon.withLock({ $0 }) else { return }
        core.draining.store(true, ordering: .relaxed)
        daemon.quiesce()
        let deadline = Monotonic.now() + UInt64(grace * 1e9)
        while core.inFlight.load(ordering: .acquiring) > 0, Monotonic.now() < deadline {
            usleep(2_000)
        }
        if core.running.load(ordering: .acquiring) > 0 {
            core.logger.warning("waiting for handlers still running at shutdown", ["handlers": String(core.running.load(ordering: .relaxed))])
        }
        // libmicrohttpd aborts when stopped with a connection still suspended, and a resume is
        // only a request its threads act on later. From here on no request may suspend (late
        // ones get a 503 at once), and the daemon stops only once every suspended connection
        // was picked up again or completed, not just once the handlers returned.
        core.gate.withLock { $0.stopping = true }
        while core.running.load(ordering: .acquiring) > 0 || core.gate.withLock({ $0.suspended }) > 0 {
            usleep(1_000)
        }
        daemon.stop()
        self.daemon.withLock { $0 = nil }
    }
}

/// What the C callbacks reach through their `cls` pointer.
final class ServerCore: Sendable {
    let application: HTTPApplication
    let configuration: HTTPServerConfiguration
    let logger: Logger
    let inFlight = Atomic<Int>(0)
    /// Requests whose handler task is running (their connections are suspended).
    let running = Atomic<Int>(0)
    /// Whether the daemon is about to stop, and the connections suspended and not yet picked
    /// up again: one lock, so no request can suspend after shutdown decided to stop.
    let gate = Mutex<(stopping: Bool, suspended: Int)>((false, 0))
    let draining = Atomic<Bool>(false)

    init(application: HTTPApplication, configuration: HTTPServerConfiguration, logger: Logger) {
        self.application = application
        self.configuration = configuration
        self.logger = logger
    }

    func access(_ connection: ConnectionHandle, url: String, method: String,
                upload: UnsafeRawPointer?, uploadSize: UnsafeMutablePointer<Int>,
                state: UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> MHD_Result {
        guard let existing = state.pointee else {
            // First call: headers are in, the body (if any) is not.
            let headers = connection.headers()
            let limit = application.bodyLimit(method: method, path: url) ?? configuration.maxBodyBytes
            let context = RequestContext(method: method, path: url, headers: headers, bodyLimit: limit)
            state.pointee = Unmanaged.passRetained(context).toOpaque()
            inFlight.add(1, ordering: .relaxed)
            if let length = headers["Content-Length"].flatMap({ Int($0) }), length > limit {
                dispatch(context, connection, rejecting: .payloadTooLarge(limit: limit))
            }
            return MHD_Result.YES
        }
        let context = Unmanaged<RequestContext>.fromOpaque(existing).takeUnretainedValue()
        if uploadSize.pointee > 0 {
            let size = uploadSize.pointee
            uploadSize.pointee = 0
            if context.dispatched { return MHD_Result.YES }
            if context.oversize || context.body.count + size > context.bodyLimit {
                // Chunked bodies have no length up front: drop the bytes, answer 413 at the end,
                // and give up on a client that keeps sending far past the limit.
                context.oversize = true
                context.body = []
                context.discarded += size
                return context.discarded > 4 * max(context.bodyLimit, 1 << 16) ? MHD_Result.NO : MHD_Result.YES
            }
            context.body.append(contentsOf: UnsafeRawBufferPointer(start: upload, count: size))
            return MHD_Result.YES
        }
        if let response = context.takeResponse() {
            context.markPickedUp(in: gate)
            var response = response
            if draining.load(ordering: .relaxed) { response.headers.set("Connection", "close") }
            return connection.queue(response) ? MHD_Result.YES : MHD_Result.NO
        }
        if !context.dispatched {
            dispatch(context, connection, rejecting: context.oversize ? .payloadTooLarge(limit: context.bodyLimit) : nil)
        }
        return MHD_Result.YES
    }

    private func dispatch(_ context: RequestContext, _ connection: ConnectionHandle, rejecting: APIError?) {
        context.dispatched = true
        guard context.markSuspended(in: gate) else {
            // The daemon is stopping: answer at once instead of suspending (see shutdown).
            var response = Response.error(.unavailable("The server is shutting down.", code: "SHUTTING_DOWN"))
            SecurityHeadersMiddleware.apply(to: &response)
            response.headers.set("Connection", "close")
            _ = connection.queue(response)
            return
        }
        let request = Request(id: HTTPApplication.requestID(fromHeader: context.headers["X-Request-Id"]),
                              method: HTTPMethod(rawValue: context.method), path: context.path,
                              query: connection.queryArguments(), headers: context.headers, body: context.body,
                              remoteAddress: connection.clientAddress(), receivedAt: context.receivedAt)
        context.body = []
        running.add(1, ordering: .relaxed)
        connection.suspend()
        let application = self.application
        Task {
            let response = await application.respond(to: request, rejecting: rejecting)
            context.setResponse(response)
            connection.resume()
            self.running.subtract(1, ordering: .releasing)
        }
    }

    func completed(state: UnsafeMutablePointer<UnsafeMutableRawPointer?>) {
        guard let raw = state.pointee else { return }
        state.pointee = nil
        // A resumed connection whose client went away completes without being picked up.
        Unmanaged<RequestContext>.fromOpaque(raw).takeUnretainedValue().markPickedUp(in: gate)
        Unmanaged<RequestContext>.fromOpaque(raw).release()
        inFlight.subtract(1, ordering: .releasing)
    }
}

/// One request's state between libmicrohttpd's callbacks.
final class RequestContext: @unchecked Sendable {
    // Sendable by contract: every field but `response` is used only by the libmicrohttpd
    // thread serving this connection; `response` crosses from the handler task under a mutex.
    let method: String
    let path: String
    let headers: HTTPHeaders
    let bodyLimit: Int
    let receivedAt = Monotonic.now()
    var body: [UInt8] = []
    var oversize = false
    var discarded = 0
    var dispatched = false
    private let response = Mutex<Response?>(nil)

    init(method: String, path: String, headers: HTTPHeaders, bodyLimit: Int) {
        self.method = method
        self.path = path
        self.headers = headers
        self.bodyLimit = bodyLimit
    }

    /// Whether the connection is counted in the server's suspended count; changed only by
    /// libmicrohttpd's thread serving this connection.
    private var isCountedSuspended = false

    /// Counts the connection as suspended unless the server is stopping (then returns false).
    func markSuspended(in gate: borrowing Mutex<(stopping: Bool, suspended: Int)>) -> Bool {
        let admitted = gate.withLock { state -> Bool in
            guard !state.stopping else { return false }
            state.suspended += 1
            return true
        }
        isCountedSuspended = admitted
        return admitted
    }

    func markPickedUp(in gate: borrowing Mutex<(stopping: Bool, suspended: Int)>) {
        guard isCountedSuspended else { return }
        isCountedSuspended = false
        gate.withLock { $0.suspended -= 1 }
    }

    func setResponse(_ value: Response) { response.withLock { $0 = value } }

    func takeResponse() -> Response? {
        response.withLock { value in
            defer { value = nil }
            return value
        }
    }
}

private let accessHandler: MHD_AccessHandlerCallback = { cls, connection, url, method, _, upload, uploadSize, state in
    guard let cls, let connection, let url, let method, let uploadSize, let state else { return MHD_Result.NO }
    let core = Unmanaged<ServerCore>.fromOpaque(cls).takeUnretainedValue()
    return core.access(ConnectionHandle(raw: connection), url: String(cString: url), method: String(cString: method),
                       upload: UnsafeRawPointer(upload), uploadSize: uploadSize, state: state)
}

private let completedHandler: MHD_RequestCompletedCallback = { cls, _, state, _ in
    guard let cls, let state else { return }
    Unmanaged<ServerCore>.fromOpaque(cls).takeUnretainedValue().completed(state: state)
}
