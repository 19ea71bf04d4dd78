/// A step around every route's handler: may change or answer the request before it, change the
/// response after it, or turn an error from inside it into a response.
///
/// The hooks are synchronous so that one pipeline serves both kinds of handler: an async handler
/// runs in a task, an inline one on the server's I/O thread (see `RouteHandler`). For a chain
/// `[a, b, c]`, `prepare` runs a, b, c; after the handler, `finish` runs c, b, a. When `b.prepare`
/// answers early, only `a.finish` runs on that answer. An error thrown by a `prepare` or by the
/// handler unwinds outward to the nearest middleware outside it whose `recover` gives a response;
/// the finishers outside that one then run on it.
///
/// Implementations must be safe to call concurrently: one instance serves every request.
public protocol Middleware: Sendable {
    /// Before the handler. Returns a response to answer now (nothing inside runs), or nil to go on.
    func prepare(_ request: inout Request) throws -> Response?
    /// After the handler (or an inner early answer or recovered error), innermost first.
    func finish(_ request: Request, _ response: inout Response)
    /// A response for an error thrown inside this middleware, or nil to let it go further out.
    func recover(from error: any Error, for request: Request) -> Response?
}

extension Middleware {
    public func prepare(_ request: inout Request) throws -> Response? { nil }
    public func finish(_ request: Request, _ response: inout Response) {}
    public func recover(from error: any Error, for request: Request) -> Response? { nil }
}
