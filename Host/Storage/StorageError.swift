/// A failure from the storage layer: what kind, the database library's message, and the SQL involved.
///
/// `message` comes from the database library and may name tables or values: log it, never
/// show it to HTTP clients.
public struct StorageError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure, independent of the backend.
    public enum Code: Sendable, Hashable {
        /// A UNIQUE, FOREIGN KEY, NOT NULL or CHECK constraint refused the change.
        case constraint
        /// The database stayed locked past the busy timeout.
        case busy
        /// A row or object that had to exist did not.
        case notFound
        /// A column was null or of the wrong type for the accessor used.
        case decoding
        /// The store was closed.
        case closed
        /// The operating system failed a read, write, open or sync.
        case io
        /// The database file is damaged or not a database.
        case corrupt
        /// The layer was used the wrong way (a bug of the caller, e.g. a write on a reader).
        case misuse
        /// Anything else.
        case other
    }

    /// The kind of failure.
    public let code: Code
    /// The library's message: for logs only.
    public let message: String
    /// The statement that failed, when there was one: for logs only.
    public let sql: String?

    /// Makes an error; `sql` is kept for logs.
    public init(_ code: Code, _ message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    public var description: String {
        if let sql { return "StorageError.\(code): \(message) [\(sql)]" }
        return "StorageError.\(code): \(message)"
    }

    /// The error thrown by every call on a closed store.
    static let closed = StorageError(.closed, "the store is closed")
}
