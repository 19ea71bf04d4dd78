/// One compiled statement, owned by the connection's cache; finalized in `deinit`.
final class SQLiteStatement {
    let sql: String
    private let handle: SQLite3.Handle
    private let db: SQLite3.Handle
    /// Column map of the last result, reused while the column list stays the same.
    private var columnMap: [String: Int]?
    private var columnCount = -1

    init(db: SQLite3.Handle, sql: String) throws(StorageError) {
        self.db = db
        self.sql = sql
        self.handle = try SQLite3.prepare(db, sql)
    }

    deinit { SQLite3.finalize(handle) }

    /// Runs the statement to completion and discards any rows.
    func run(_ params: [SQLValue]) throws(StorageError) {
        defer { SQLite3.reset(handle) }
        try SQLite3.bind(handle, params, db: db, sql: sql)
        while try SQLite3.step(handle, db: db, sql: sql) == .row {}
    }

    /// Runs the statement and collects every row.
    func rows(_ params: [SQLValue]) throws(StorageError) -> [SQLRow] {
        defer { SQLite3.reset(handle) }
        try SQLite3.bind(handle, params, db: db, sql: sql)
        var result: [SQLRow] = []
        var columns: [String: Int] = [:]
        var width: Int32 = 0
        var first = true
        while try SQLite3.step(handle, db: db, sql: sql) == .row {
            if first {
                (columns, width) = currentColumns()
                first = false
            }
            var values: [SQLValue] = []
            values.reserveCapacity(Int(width))
            for i in 0..<width { values.append(SQLite3.column(handle, i)) }
            result.append(SQLRow(columns: columns, values: values))
        }
        return result
    }

    /// Column name → index; when two columns share a name the first wins.
    private func currentColumns() -> ([String: Int], Int32) {
        let names = SQLite3.columnNames(handle)
        if let columnMap, names.count == columnCount,
           names.enumerated().allSatisfy({ columnMap[$0.element] != nil }) {
            return (columnMap, Int32(names.count))
        }
        var map: [String: Int] = [:]
        for (i, name) in names.enumerated() where map[name] == nil { map[name] = i }
        columnMap = map
        columnCount = names.count
        return (map, Int32(names.count))
    }
}
