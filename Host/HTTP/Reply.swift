import Synchronization

/// How an inline handler answers: once, now or later, from any thread.
///
/// An inline handler runs on the server's I/O thread and must not block it; one that waits for
/// something (a group commit, say) keeps the `Reply` and answers when it is done. The connection
/// stays suspended until then. A reply dropped without an answer sends a 500 rather than leave
/// the client (and the server's shutdown) waiting forever.
public final class Reply: Sendable {
    private let deliver: @Sendable (Result<Response, any Error>) -> Void
    private let answered = Atomic<Bool>(false)

    /// A reply that hands its one answer to `deliver`.
    public init(_ deliver: @escaping @Sendable (Result<Response, any Error>) -> Void) {
        self.deliver = deliver
    }

    /// Answers with `response`. Later answers are ignored.
    public func send(_ response: Response) { answer(.success(response)) }

    /// Answers with an error, which the middleware turns into an ErrorResponse. Later answers are ignored.
    public func fail(_ error: any Error) { answer(.failure(error)) }

    /// Answers with either. Later answers are ignored.
    public func answer(_ result: Result<Response, any Error>) {
        guard !answered.exchange(true, ordering: .acquiringAndReleasing) else { return }
        deliver(result)
    }

    deinit {
        if !answered.load(ordering: .acquiring) {
            deliver(.failure(APIError.internal("The request was dropped without an answer.")))
        }
    }
}
