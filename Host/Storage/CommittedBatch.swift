/// What one group commit held and how long it took: for metrics and capacity planning.
public struct CommittedBatch: Sendable {
    /// Writes in the transaction.
    public var writes: Int
    /// From BEGIN to the last write's RELEASE: the SQL work itself.
    public var runSeconds: Double
    /// The COMMIT: writing the WAL (the fsync, with synchronous FULL, follows on the sync thread).
    public var commitSeconds: Double
}
