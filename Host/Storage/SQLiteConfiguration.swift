/// How a `SQLiteStore` opens and runs its database.
public struct SQLiteConfiguration: Sendable {
    /// SQLite's `synchronous` setting for every connection.
    public enum Synchronous: String, Sendable {
        /// In WAL mode: durable against process crashes, not against power loss.
        case normal
        /// Syncs the WAL at each commit: durable against power loss.
        case full
    }

    /// The database file; its directory is created when missing.
    public var path: String
    /// How many reader connections the pool holds.
    public var readerCount: Int = 4
    /// Most writes grouped into one transaction.
    public var maxBatch: Int = 256
    /// Durability of each commit.
    public var synchronous: Synchronous = .full
    /// How long a connection waits for a lock before failing with `.busy`.
    public var busyTimeoutMilliseconds: Int = 5000
    /// Metrics hook, called on the writer thread after each commit.
    public var onBatchCommitted: (@Sendable (CommittedBatch) -> Void)? = nil

    /// A configuration with defaults for the database at `path`.
    public init(path: String) {
        self.path = path
    }
}
