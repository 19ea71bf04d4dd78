/// What a read or write closure gets: run SQL on the connection the store lent it.
///
/// Placeholders are `?` (the PostgreSQL backend will rewrite them to `$n`); keep SQL portable.
/// The connection is lent for the duration of the closure only: never keep it.
public protocol SQLConnection {
    /// Runs a statement that returns no rows; returns how many rows it changed.
    @discardableResult func execute(_ sql: String, _ params: [SQLValue]) throws(StorageError) -> Int
    /// Runs a query and returns every row.
    func query(_ sql: String, _ params: [SQLValue]) throws(StorageError) -> [SQLRow]
}

extension SQLConnection {
    /// Runs a statement without parameters.
    @discardableResult public func execute(_ sql: String) throws(StorageError) -> Int { try execute(sql, []) }
    /// Runs a query without parameters.
    public func query(_ sql: String) throws(StorageError) -> [SQLRow] { try query(sql, []) }
    /// The first row of a query, nil when there is none.
    public func queryFirst(_ sql: String, _ params: [SQLValue] = []) throws(StorageError) -> SQLRow? {
        try query(sql, params).first
    }
}

/// Where Renum keeps its rows: readers in parallel, one serialised writer.
///
/// Implementation requirements: reads may run concurrently on any thread; writes are serialised
/// and may be batched into one transaction with other writes (group commit): a write's closure
/// runs inside a savepoint so one failing closure rolls back only itself; `write` returns only
/// after the COMMIT that holds the write is durable per the configured synchronous mode.
/// Because a write shares its transaction with others, its closure must not BEGIN or COMMIT itself.
public protocol Store: Sendable {
    /// Runs `body` on a reader connection, synchronously on the caller's thread, inside one read
    /// transaction (a consistent snapshot).
    func read<T>(_ body: (any SQLConnection) throws -> T) throws -> T
    /// Runs `body` on the writer inside a savepoint and returns once its transaction has committed.
    @discardableResult
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T
    /// `write` for callers that must not wait (an inline HTTP handler): `completion` runs once,
    /// after the commit (and the WAL sync) or the failure, on a storage thread, so it must be
    /// quick and must not use the store itself.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T, isolation: WriteIsolation,
                            completion: @escaping @Sendable (Result<T, any Error>) -> Void)
    /// Readiness: runs a trivial query on a reader.
    func ping() throws
    /// Finishes queued writes, commits, and closes every connection; later calls throw `.closed`.
    func close() async
}

/// How a write is kept apart from the others in its batch when it fails.
public enum WriteIsolation: Sendable {
    /// In its own savepoint: whatever it changed before throwing is rolled back alone.
    case savepoint
    /// Without a savepoint (SQLite copies every page a savepoint touches): the write promises to
    /// make every check before its first change, so a refusal leaves nothing to undo. Should it
    /// throw after changing rows anyway, the whole batch is rolled back and fails.
    case checksFirst
}

extension Store {
    /// `write(_:isolation:completion:)` in its own savepoint.
    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T,
                                   completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        write(body, isolation: .savepoint, completion: completion)
    }
}
