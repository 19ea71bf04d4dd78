import Foundation
import RenumObservability

/// The request pipeline: route matching, then the middleware chain, then the handler.
///
/// `respond` never throws: whatever goes wrong becomes an ErrorResponse, so the server
/// always has something to send.
public final class HTTPApplication: Sendable {
    public let router: Router
    private let chain: any Responder

    /// `middleware` runs outermost first. Put `RequestLogMiddleware`, then
    /// `SecurityHeadersMiddleware`, CORS, `ErrorMiddleware` and `AuthMiddleware` innermost.
    public init(router: Router, middleware: [any Middleware]) {
        self.router = router
        let endpoint = ClosureResponder { request in
            if let rejection = request.rejection { throw rejection }
            switch router.match(request.method, request.path) {
            case .found(let route, _):
                return try await route.handler(request)
            case .methodNotAllowed(let allowed):
                throw APIError.methodNotAllowed(allowed: allowed)
            case .notFound:
                throw APIError.notFound("No route for \(request.method) \(request.path).")
            }
        }
        self.chain = middleware.chained(to: endpoint)
    }

    /// Answers a request. With `rejecting`, the request was refused before its body was read
    /// (413, say): the answer still passes through every middleware, so it carries the same
    /// headers, metrics and logs as any other.
    public func respond(to request: Request, rejecting: APIError? = nil) async -> Response {
        var request = request
        if let rejecting {
            request.rejection = rejecting
        } else if case .found(let route, let parameters) = router.match(request.method, request.path) {
            request.route = route.pattern
            request.parameters = parameters
            request.authRequirement = route.auth
        }
        do {
            var response = try await chain.respond(to: request)
            if request.method == .head { response.body = [] }
            return response
        } catch {
            // Only a middleware placed outside ErrorMiddleware can get here.
            var response = Response.error(.internal())
            SecurityHeadersMiddleware.apply(to: &response)
            response.headers.set("X-Request-Id", request.id)
            return response
        }
    }

    /// The matched route's own body limit, if it has one.
    func bodyLimit(method: String, path: String) -> Int? {
        if case .found(let route, _) = router.match(HTTPMethod(rawValue: method), path) { return route.maxBodyBytes }
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
        return UUID().uuidString.lowercased()
    }
}
