import CMicroHTTPD
import Foundation
import RenumCore
import RenumObservability
import Synchronization

/// The HTTP server: libmicrohttpd's epoll threads in front of an `HTTPApplication`.
///
/// libmicrohttpd reads a request on one of its threads; once the body is in, the pipeline runs
/// up to the route's handler there. An async handler runs in a Swift task; an inline one runs
/// on the thread itself and replies now or later (after a group commit, say). An answer ready at
/// once is queued at once; otherwise the connection is suspended, so nothing ever blocks the
/// thread serving other connections, and the response is queued when libmicrohttpd calls back
/// after `resume`.
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
    /// Requests whose handler has not answered yet (their connections may be suspended).
    let running = Atomic<Int>(0)
    /// Whether the daemon is about to stop, and the connections suspended (or about to be) and
    /// not yet picked up again: one lock, so no request can suspend after shutdown decided to stop.
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
            let match = application.match(method: method, path: url)
            var limit = configuration.maxBodyBytes
            if case .found(let route, _) = match, let own = route.maxBodyBytes { limit = own }
            let context = RequestContext(method: method, path: url, headers: headers, match: match, bodyLimit: limit)
            state.pointee = Unmanaged.passRetained(context).toOpaque()
            inFlight.add(1, ordering: .relaxed)
            if let length = headers["Content-Length"].flatMap({ Int($0) }), length > limit {
                return dispatch(context, connection, rejecting: .payloadTooLarge(limit: limit))
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
        if let outcome = context.takeOutcome() {
            return send(outcome, for: context, on: connection)
        }
        if !context.dispatched {
            return dispatch(context, connection, rejecting: context.oversize ? .payloadTooLarge(limit: context.bodyLimit) : nil)
        }
        return MHD_Result.YES
    }

    /// Runs the pipeline up to the handler. An answer that is ready before the handler returns
    /// is queued at once; otherwise the connection is suspended until the `Reply` comes.
    private func dispatch(_ context: RequestContext, _ connection: ConnectionHandle, rejecting: APIError?) -> MHD_Result {
        context.dispatched = true
        guard context.markSuspended(in: gate) else {
            // The daemon is stopping: answer at once instead of running anything (see shutdown).
            var response = Response.error(.unavailable("The server is shutting down.", code: "SHUTTING_DOWN"))
            SecurityHeadersMiddleware.apply(to: &response)
            response.headers.set("Connection", "close")
            return connection.queue(response) ? MHD_Result.YES : MHD_Result.NO
        }
        let request = Request(id: HTTPApplication.requestID(fromHeader: context.headers["X-Request-Id"]),
                              method: HTTPMethod(rawValue: context.method), path: context.path,
                              query: connection.queryArguments(), headers: context.headers, body: context.body,
                              remoteAddress: connection.clientAddress(), receivedAt: context.receivedAt)
        context.body = []
        let (exchange, step) = application.begin(request, match: context.match, rejecting: rejecting)
        context.exchange = exchange
        running.add(1, ordering: .relaxed)
        let reply = Reply { [self] outcome in
            if context.deliver(outcome) { connection.resume() }
            running.subtract(1, ordering: .releasing)
        }
        switch step {
        case .done(let outcome):
            reply.answer(outcome)
        case .run(.inline(let handler)):
            do { try handler(exchange.request, reply) } catch { reply.fail(error) }
        case .run(.async(let handler)):
            let request = exchange.request
            Task {
                do { reply.send(try await handler(request)) } catch { reply.fail(error) }
            }
        }
        guard let outcome = context.suspendUnlessAnswered(connection) else { return MHD_Result.YES }
        return send(outcome, for: context, on: connection)
    }

    /// Finishes the pipeline on an outcome and queues the response.
    private func send(_ outcome: Result<Response, any Error>, for context: RequestContext,
                      on connection: ConnectionHandle) -> MHD_Result {
        context.markPickedUp(in: gate)
        guard let exchange = context.exchange else { return MHD_Result.NO }
        var response = application.complete(exchange, outcome)
        if draining.load(ordering: .relaxed) { response.headers.set("Connection", "close") }
        return connection.queue(response) ? MHD_Result.YES : MHD_Result.NO
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
    // Sendable by contract: every field but `answer` is used only by the libmicrohttpd thread
    // serving this connection; `answer` crosses from the replying thread under a mutex.
    let method: String
    let path: String
    let headers: HTTPHeaders
    let match: RouteMatch
    let bodyLimit: Int
    let receivedAt = Monotonic.now()
    var body: [UInt8] = []
    var oversize = false
    var discarded = 0
    var dispatched = false
    var exchange: HTTPApplication.Exchange?
    /// The handler's outcome once it replied, and whether the connection was suspended to wait for it.
    private let answer = Mutex<(outcome: Result<Response, any Error>?, suspended: Bool)>((nil, false))

    init(method: String, path: String, headers: HTTPHeaders, match: RouteMatch, bodyLimit: Int) {
        self.method = method
        self.path = path
        self.headers = headers
        self.match = match
        self.bodyLimit = bodyLimit
    }

    /// Whether the connection is counted in the server's suspended count; changed only by
    /// libmicrohttpd's thread serving this connection.
    private var isCountedSuspended = false

    /// Counts the connection as (about to be) suspended unless the server is stopping (then false).
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

    /// Stores the handler's outcome; true when the connection is suspended and must be resumed.
    func deliver(_ outcome: Result<Response, any Error>) -> Bool {
        answer.withLock { state in
            state.outcome = outcome
            return state.suspended
        }
    }

    /// The outcome if the handler already answered; otherwise suspends the connection (under the
    /// lock, so a reply cannot try to resume it before it is suspended) and returns nil.
    func suspendUnlessAnswered(_ connection: ConnectionHandle) -> Result<Response, any Error>? {
        answer.withLock { state in
            if let outcome = state.outcome {
                state.outcome = nil
                return outcome
            }
            state.suspended = true
            connection.suspend()
            return nil
        }
    }

    /// The outcome delivered while suspended, once.
    func takeOutcome() -> Result<Response, any Error>? {
        answer.withLock { state in
            defer { state.outcome = nil }
            return state.outcome
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
