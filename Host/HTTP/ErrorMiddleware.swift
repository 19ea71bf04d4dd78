import RenumObservability

/// Turns every thrown error into an ErrorResponse.
///
/// `APIError`s are answered as they are. Anything else is a fault of ours: the client
/// gets a bare 500 with the request id, and the log gets what `describe` says of the
/// error (App supplies it, so that no SQL text or secret reaches the log either).
public struct ErrorMiddleware: Middleware {
    let logger: Logger
    let describe: @Sendable (any Error) -> String

    public init(logger: Logger, describe: @escaping @Sendable (any Error) -> String = { String(describing: type(of: $0)) }) {
        self.logger = logger
        self.describe = describe
    }

    public func handle(_ request: Request, next: any Responder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let apiError as APIError {
            return Response.error(apiError)
        } catch is CancellationError {
            return Response.error(.unavailable("The request was cancelled."))
        } catch {
            logger.error("unhandled error", ["request_id": request.id, "route": request.route ?? "-", "error": describe(error)])
            return Response.error(.internal("The server failed to handle this request (request id \(request.id))."))
        }
    }
}
