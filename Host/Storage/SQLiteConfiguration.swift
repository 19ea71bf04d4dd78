/// How a `SQLiteStore` opens and runs its database.
public struct SQLiteConfiguration: Sendable {
    /// SQLite's `synchronous` setting for every connection.
    public enum Synchronous: String, Sendable {
        /// In WAL mode: durable against process crashes, not against power loss.
        case normal
        /// Every acknowledged write has had its WAL synced: durable against power loss. (The sync
        /// runs on its own thread, pipelined with the next batch; see WALSyncer.)
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
    /// Metrics hook with the seconds each WAL sync took (synchronous FULL only).
    public var onWALSynced: (@Sendable (Double) -> Void)? = nil

    /// A configuration with defaults for the database at `path`.
    public init(path: String) {
        self.path = path
    }
}
