/// Something that turns a request into a response; the end of a middleware chain is one.
public protocol Responder: Sendable {
    func respond(to request: Request) async throws -> Response
}

/// A step around the handler: may change the request, answer early, or change the response.
///
/// Implementations must be safe to call concurrently: one instance serves every request.
public protocol Middleware: Sendable {
    func handle(_ request: Request, next: any Responder) async throws -> Response
}

/// A responder made of a closure.
public struct ClosureResponder: Responder {
    let body: @Sendable (Request) async throws -> Response
    public init(_ body: @escaping @Sendable (Request) async throws -> Response) { self.body = body }
    public func respond(to request: Request) async throws -> Response { try await body(request) }
}

/// One middleware in front of the rest of the chain.
struct MiddlewareResponder: Responder {
    let middleware: any Middleware
    let next: any Responder
    func respond(to request: Request) async throws -> Response {
        try await middleware.handle(request, next: next)
    }
}

extension Array where Element == any Middleware {
    /// The chain: the first middleware is outermost.
    func chained(to endpoint: any Responder) -> any Responder {
        reversed().reduce(endpoint) { next, middleware in MiddlewareResponder(middleware: middleware, next: next) }
    }
}
