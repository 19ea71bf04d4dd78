/// One queued write: its closure, and the caller waiting for the commit that holds it.
///
/// Touched only by the writer thread once queued, which is why the class is `@unchecked Sendable`.
protocol PendingWrite: AnyObject, Sendable {
    /// Whether the write runs in its own savepoint or promises to check before it changes anything.
    var isolation: WriteIsolation { get }
    /// Runs the closure on the writer connection; false when it threw.
    func run(on connection: any SQLConnection) -> Bool
    /// Records a failure of the write's own savepoint handling.
    func fail(_ error: any Error)
    /// Resumes the caller: with the closure's outcome, or with `batchFailure` when the closure
    /// succeeded but its transaction did not commit.
    func complete(batchFailure: (any Error)?)
}

/// A `PendingWrite` that hands its outcome (a `T` or an error) to a completion, once.
final class TypedWrite<T: Sendable>: PendingWrite, @unchecked Sendable {
    private let body: @Sendable (any SQLConnection) throws -> T
    private let completion: @Sendable (Result<T, any Error>) -> Void
    private var outcome: Result<T, any Error>?
    let isolation: WriteIsolation

    init(_ body: @escaping @Sendable (any SQLConnection) throws -> T, isolation: WriteIsolation = .savepoint,
         completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        self.body = body
        self.isolation = isolation
        self.completion = completion
    }

    func run(on connection: any SQLConnection) -> Bool {
        do {
            outcome = .success(try body(connection))
            return true
        } catch {
            outcome = .failure(error)
            return false
        }
    }

    func fail(_ error: any Error) {
        outcome = .failure(error)
    }

    func complete(batchFailure: (any Error)?) {
        switch outcome {
        case .failure(let error)?:
            completion(.failure(error))
        case .success(let value)?:
            completion(batchFailure.map { .failure($0) } ?? .success(value))
        case nil:
            completion(.failure(batchFailure ?? StorageError(.other, "write never ran")))
        }
    }
}
