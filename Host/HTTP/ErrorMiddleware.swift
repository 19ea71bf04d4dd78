import RenumObservability

/// Turns every thrown error into an ErrorResponse.
///
/// `APIError`s are answered as they are; `map` may turn a lower layer's error into one
/// (a storage constraint into 409, say). Anything else is a fault of ours: the client gets
/// a bare 500 with the request id, and the log gets what `describe` says of the error
/// (App supplies both, so that no SQL text or secret reaches the log either).
public struct ErrorMiddleware: Middleware {
    let logger: Logger
    let map: @Sendable (any Error) -> APIError?
    let describe: @Sendable (any Error) -> String

    public init(logger: Logger,
                map: @escaping @Sendable (any Error) -> APIError? = { _ in nil },
                describe: @escaping @Sendable (any Error) -> String = { String(describing: type(of: $0)) }) {
        self.logger = logger
        self.map = map
        self.describe = describe
    }

    public func recover(from error: any Error, for request: Request) -> Response? {
        switch error {
        case let apiError as APIError:
            return Response.error(apiError)
        case is CancellationError:
            return Response.error(.unavailable("The request was cancelled."))
        default:
            if let mapped = map(error) { return Response.error(mapped) }
            logger.error("unhandled error", ["request_id": request.id, "route": request.route ?? "-", "error": describe(error)])
            return Response.error(.internal("The server failed to handle this request (request id \(request.id))."))
        }
    }
}
