/// One queued write: its closure, and the caller waiting for the commit that holds it.
///
/// Touched only by the writer thread once queued, which is why the class is `@unchecked Sendable`.
protocol PendingWrite: AnyObject, Sendable {
    /// Runs the closure on the writer connection; false when it threw.
    func run(on connection: any SQLConnection) -> Bool
    /// Records a failure of the write's own savepoint handling.
    func fail(_ error: any Error)
    /// Resumes the caller: with the closure's outcome, or with `batchFailure` when the closure
    /// succeeded but its transaction did not commit.
    func complete(batchFailure: (any Error)?)
}

/// A `PendingWrite` returning `T` to a checked continuation.
final class TypedWrite<T: Sendable>: PendingWrite, @unchecked Sendable {
    private let body: @Sendable (any SQLConnection) throws -> T
    private let continuation: CheckedContinuation<T, any Error>
    private var outcome: Result<T, any Error>?

    init(_ body: @escaping @Sendable (any SQLConnection) throws -> T,
         continuation: CheckedContinuation<T, any Error>) {
        self.body = body
        self.continuation = continuation
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
            continuation.resume(throwing: error)
        case .success(let value)?:
            if let batchFailure {
                continuation.resume(throwing: batchFailure)
            } else {
                continuation.resume(returning: value)
            }
        case nil:
            continuation.resume(throwing: batchFailure ?? StorageError(.other, "write never ran"))
        }
    }
}
