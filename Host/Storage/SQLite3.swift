import CSQLite

/// Every raw `sqlite3_*` call of the storage layer, and the mapping of SQLite result codes to
/// `StorageError`. Handles are `OpaquePointer`s here and nowhere above `SQLiteConnection` and
/// `SQLiteStatement`, which own them.
enum SQLite3 {
    typealias Handle = OpaquePointer

    // MARK: Result codes

    /// The error for a failed call on `db`, with SQLite's own message.
    static func error(_ rc: Int32, _ db: Handle?, sql: String? = nil) -> StorageError {
        let message: String
        if let db, let text = sqlite3_errmsg(db) {
            message = String(cString: text)
        } else if let text = sqlite3_errstr(rc) {
            message = String(cString: text)
        } else {
            message = "SQLite result code \(rc)"
        }
        return StorageError(code(for: rc), message, sql: sql)
    }

    /// The backend-neutral code for an (extended) SQLite result code.
    static func code(for rc: Int32) -> StorageError.Code {
        switch rc & 0xff {
        case SQLITE_CONSTRAINT: return .constraint
        case SQLITE_BUSY, SQLITE_LOCKED: return .busy
        case SQLITE_NOTFOUND: return .notFound
        case SQLITE_CORRUPT, SQLITE_NOTADB: return .corrupt
        case SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_FULL, SQLITE_PERM, SQLITE_PROTOCOL: return .io
        // READONLY: a write on a reader (query_only); RANGE: a wrong number of parameters.
        case SQLITE_MISUSE, SQLITE_READONLY, SQLITE_RANGE: return .misuse
        case SQLITE_MISMATCH: return .decoding
        default: return .other
        }
    }

    // MARK: Connections

    /// Opens (creating when missing) the database at `path` for use by one thread at a time.
    static func open(_ path: String) throws(StorageError) -> Handle {
        var db: Handle?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let failure = error(rc, db)
            if let db { sqlite3_close_v2(db) }
            throw failure
        }
        sqlite3_extended_result_codes(db, 1)
        return db
    }

    /// Closes `db`; statements still alive are finalized later by their owners (close_v2).
    static func close(_ db: Handle) {
        sqlite3_close_v2(db)
    }

    /// Runs one or more statements without parameters or results (pragmas, DDL, BEGIN/COMMIT).
    static func exec(_ db: Handle, _ sql: String) throws(StorageError) {
        let rc = sqlite3_exec(db, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw error(rc, db, sql: sql) }
    }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE on `db`.
    static func changes(_ db: Handle) -> Int { Int(sqlite3_changes64(db)) }

    /// Rows inserted, updated or deleted on `db` since it was opened.
    static func totalChanges(_ db: Handle) -> Int { Int(sqlite3_total_changes64(db)) }

    /// False while `db` is inside a transaction.
    static func isAutocommit(_ db: Handle) -> Bool { sqlite3_get_autocommit(db) != 0 }

    // MARK: Statements

    /// Compiles one statement.
    static func prepare(_ db: Handle, _ sql: String) throws(StorageError) -> Handle {
        var stmt: Handle?
        var trailing = false
        let rc = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v3(db, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, &tail)
            // Only whitespace or comments may follow: a second statement would be silently skipped.
            if rc == SQLITE_OK, let tail, tail.pointee != 0 {
                var next: Handle?
                sqlite3_prepare_v2(db, tail, -1, &next, nil)
                trailing = next != nil
                if let next { sqlite3_finalize(next) }
            }
            return rc
        }
        guard rc == SQLITE_OK else { throw error(rc, db, sql: sql) }
        guard let stmt else { throw StorageError(.misuse, "no statement in SQL", sql: sql) }
        if trailing {
            sqlite3_finalize(stmt)
            throw StorageError(.misuse, "one statement per call; use a write closure for several", sql: sql)
        }
        return stmt
    }

    static func finalize(_ stmt: Handle) { sqlite3_finalize(stmt) }

    /// Makes `stmt` ready to run again and forgets its bindings.
    static func reset(_ stmt: Handle) {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
    }

    /// Binds `params` to the `?` placeholders of `stmt`, in order.
    static func bind(_ stmt: Handle, _ params: [SQLValue], db: Handle, sql: String) throws(StorageError) {
        let expected = Int(sqlite3_bind_parameter_count(stmt))
        guard expected == params.count else {
            throw StorageError(.misuse, "expected \(expected) parameters, got \(params.count)", sql: sql)
        }
        for (offset, value) in params.enumerated() {
            let i = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(stmt, i)
            case .integer(let v): rc = sqlite3_bind_int64(stmt, i, v)
            case .real(let v): rc = sqlite3_bind_double(stmt, i, v)
            case .text(let v):
                // A nil pointer would bind NULL, so the empty string gets a literal.
                var text = v
                rc = text.withUTF8 { bytes in
                    guard let base = bytes.baseAddress, !bytes.isEmpty else {
                        return sqlite3_bind_text(stmt, i, "", 0, renum_sqlite_transient())
                    }
                    return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                        sqlite3_bind_text(stmt, i, $0, Int32(bytes.count), renum_sqlite_transient())
                    }
                }
            case .blob(let v):
                rc = v.withUnsafeBytes { bytes in
                    guard let base = bytes.baseAddress, !bytes.isEmpty else {
                        return sqlite3_bind_zeroblob(stmt, i, 0)
                    }
                    return sqlite3_bind_blob(stmt, i, base, Int32(bytes.count), renum_sqlite_transient())
                }
            }
            guard rc == SQLITE_OK else { throw error(rc, db, sql: sql) }
        }
    }

    /// Outcome of one step.
    enum Step { case row, done }

    /// Advances `stmt` by one row.
    static func step(_ stmt: Handle, db: Handle, sql: String) throws(StorageError) -> Step {
        switch sqlite3_step(stmt) {
        case SQLITE_ROW: return .row
        case SQLITE_DONE: return .done
        case let rc: throw error(rc, db, sql: sql)
        }
    }

    /// Names of the result columns of `stmt`.
    static func columnNames(_ stmt: Handle) -> [String] {
        (0..<sqlite3_column_count(stmt)).map { i in
            sqlite3_column_name(stmt, i).map { String(cString: $0) } ?? "column\(i)"
        }
    }

    /// The value of column `i` of the current row.
    static func column(_ stmt: Handle, _ i: Int32) -> SQLValue {
        switch sqlite3_column_type(stmt, i) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(stmt, i))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(stmt, i))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(stmt, i))
            guard let base = sqlite3_column_text(stmt, i) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(stmt, i))
            guard let base = sqlite3_column_blob(stmt, i), count > 0 else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: base, count: count)))
        default: return .null
        }
    }
}
