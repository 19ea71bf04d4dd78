import Foundation
import RenumCore
import RenumObservability

/// The request pipeline: route matching, the middleware's `prepare` hooks, the handler, then the
/// `finish` hooks (see `Middleware` for the order and how errors unwind).
///
/// The server drives it in two steps, because an inline handler answers later and on another
/// thread: `begin` matches and prepares, and says what to run; `complete` turns the handler's
/// outcome into the response to send. Neither throws: whatever goes wrong becomes an
/// ErrorResponse, so the server always has something to send.
public final class HTTPApplication: Sendable {
    public let router: Router
    private let middleware: [any Middleware]

    /// `middleware` runs outermost first. Put `RequestLogMiddleware`, then
    /// `SecurityHeadersMiddleware`, CORS, `ErrorMiddleware` and `AuthMiddleware` innermost.
    public init(router: Router, middleware: [any Middleware]) {
        self.router = router
        self.middleware = middleware
    }

    /// A request on its way through the pipeline.
    struct Exchange: Sendable {
        var request: Request
        /// How many middlewares (from the outermost) have prepared and are owed a finish.
        var depth: Int
    }

    /// What `begin` leaves to do.
    enum Step: Sendable {
        /// The pipeline has its outcome already (an early answer, a refusal, no such route).
        case done(Result<Response, any Error>)
        /// Run this handler; pass its outcome to `complete`.
        case run(RouteHandler)
    }

    /// The route for a method and path, matched once per request.
    func match(method: String, path: String) -> RouteMatch {
        router.match(HTTPMethod(rawValue: method), path)
    }

    /// Prepares a request. With `rejecting`, it was refused before its body was read (413, say):
    /// it still passes through every middleware, so its answer carries the same headers, metrics
    /// and logs as any other.
    func begin(_ request: Request, match: RouteMatch, rejecting: APIError?) -> (Exchange, Step) {
        var exchange = Exchange(request: request, depth: 0)
        if rejecting == nil, case .found(let route, let parameters) = match {
            exchange.request.route = route.pattern
            exchange.request.parameters = parameters
            exchange.request.authRequirement = route.auth
        }
        for step in middleware {
            do {
                if let early = try step.prepare(&exchange.request) { return (exchange, .done(.success(early))) }
            } catch {
                return (exchange, .done(.failure(error)))
            }
            exchange.depth += 1
        }
        if let rejecting { return (exchange, .done(.failure(rejecting))) }
        switch match {
        case .found(let route, _):
            return (exchange, .run(route.handler))
        case .methodNotAllowed(let allowed):
            return (exchange, .done(.failure(APIError.methodNotAllowed(allowed: allowed))))
        case .notFound:
            let request = exchange.request
            return (exchange, .done(.failure(APIError.notFound("No route for \(request.method) \(request.path)."))))
        }
    }

    /// The response for an exchange's outcome, after every owed `finish`.
    func complete(_ exchange: Exchange, _ outcome: Result<Response, any Error>) -> Response {
        let request = exchange.request
        var depth = exchange.depth
        var response: Response
        switch outcome {
        case .success(let answer):
            response = answer
        case .failure(let error):
            guard let (recovered, at) = recover(error, for: request, inside: depth) else {
                // No middleware maps errors: a bare 500, still with the headers every answer has.
                response = Response.error(.internal())
                SecurityHeadersMiddleware.apply(to: &response)
                response.headers.set("X-Request-Id", request.id)
                return response
            }
            response = recovered
            depth = at
        }
        for step in middleware[..<depth].reversed() { step.finish(request, &response) }
        if request.method == .head { response.body = [] }
        return response
    }

    /// The nearest middleware outside `depth` that answers for `error`, and its index.
    private func recover(_ error: any Error, for request: Request, inside depth: Int) -> (Response, Int)? {
        for index in stride(from: depth - 1, through: 0, by: -1) {
            if let response = middleware[index].recover(from: error, for: request) { return (response, index) }
        }
        return nil
    }

    /// A request id for a request: the client's when it is short and plain, otherwise a new UUID.
    public static func requestID(fromHeader header: String?) -> String {
        if let header, !header.isEmpty, header.utf8.count <= 64,
           header.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
               || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0)
               || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) {
            return header
        }
        return UUID.timeOrdered().lowercasedString
    }
}
