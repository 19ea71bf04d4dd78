import Foundation

/// One SQLite connection with its prepared-statement cache; closes in `deinit`.
///
/// Not thread-safe (opened NOMUTEX): the reader pool or the writer thread lends it to one
/// thread at a time, which is why it is `@unchecked Sendable`.
final class SQLiteConnection: SQLConnection, @unchecked Sendable {
    /// What the connection is for: readers refuse writes.
    enum Role { case reader, writer, checkpointer }

    private var db: SQLite3.Handle?
    private var cache: [String: SQLiteStatement] = [:]
    /// Most statements kept; past it the cache starts over (guards against SQL built per call).
    private let cacheLimit = 256

    init(path: String, role: Role, synchronous: SQLiteConfiguration.Synchronous,
         busyTimeoutMilliseconds: Int) throws(StorageError) {
        let db = try SQLite3.open(path)
        self.db = db
        // Applied one by one so a failure names the pragma that failed.
        try SQLite3.exec(db, "PRAGMA busy_timeout = \(max(0, busyTimeoutMilliseconds))")
        if role == .writer {
            try SQLite3.exec(db, "PRAGMA journal_mode = WAL")
            // 64 MiB of page cache (the default is 2 MB): index pages the writer touches on every
            // commit stay in memory instead of being read back through the kernel.
            try SQLite3.exec(db, "PRAGMA cache_size = -65536")
            // Each write runs in a savepoint, and SQLite keeps the pages a savepoint changed in a
            // sub-journal so that ROLLBACK TO can restore them. On disk (the default) that was
            // two write syscalls per page, about 100 KB written per webhook delivery; the
            // sub-journal lives only until the batch commits, so memory is the right place.
            try SQLite3.exec(db, "PRAGMA temp_store = MEMORY")
            // The checkpointer thread copies the WAL back (see Checkpointer); this is the writer's
            // own safety net, at 64 MiB of WAL, for when that thread cannot keep up.
            try SQLite3.exec(db, "PRAGMA wal_autocheckpoint = 16384")
            // A WAL that grew under load is cut back to this size once it is reset.
            try SQLite3.exec(db, "PRAGMA journal_size_limit = 67108864")
        }
        try SQLite3.exec(db, "PRAGMA foreign_keys = ON")
        try SQLite3.exec(db, "PRAGMA synchronous = \(synchronous.rawValue.uppercased())")
        if role == .reader {
            try SQLite3.exec(db, "PRAGMA query_only = 1")
        }
    }

    deinit { close() }

    /// Finalizes cached statements and closes the database. Idempotent.
    func close() {
        cache.removeAll()
        if let db { SQLite3.close(db) }
        db = nil
    }

    @discardableResult
    func execute(_ sql: String, _ params: [SQLValue]) throws(StorageError) -> Int {
        let db = try handle(sql)
        try statement(sql).run(params)
        return SQLite3.changes(db)
    }

    func query(_ sql: String, _ params: [SQLValue]) throws(StorageError) -> [SQLRow] {
        try statement(sql).rows(params)
    }

    /// Runs statements without parameters and without caching them (pragmas, DDL, migrations).
    func exec(_ sql: String) throws(StorageError) {
        try SQLite3.exec(try handle(sql), sql)
    }

    /// Rows changed since the connection opened: tells whether a write changed anything before it failed.
    var totalChanges: Int {
        guard let db else { return 0 }
        return SQLite3.totalChanges(db)
    }

    /// True while a transaction is open (SQLite may roll one back by itself on some errors).
    var inTransaction: Bool {
        guard let db else { return false }
        return !SQLite3.isAutocommit(db)
    }

    private func handle(_ sql: String) throws(StorageError) -> SQLite3.Handle {
        guard let db else { throw StorageError(.closed, "the connection is closed", sql: sql) }
        return db
    }

    private func statement(_ sql: String) throws(StorageError) -> SQLiteStatement {
        if let cached = cache[sql] { return cached }
        let statement = try SQLiteStatement(db: try handle(sql), sql: sql)
        if cache.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
        cache[sql] = statement
        return statement
    }
}
