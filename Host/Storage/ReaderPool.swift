import Foundation

/// A fixed set of reader connections, lent to one caller at a time; callers block when all are out.
final class ReaderPool: @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var idle: [SQLiteConnection]
    private var closed = false

    init(_ connections: [SQLiteConnection]) {
        idle = connections
    }

    /// Runs `body` with a connection checked out of the pool, waiting for one when all are busy.
    func with<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        let connection = try checkOut()
        defer { checkIn(connection) }
        return try body(connection)
    }

    /// Stops lending and closes the idle connections; the ones out are closed when they come back.
    func close() {
        condition.lock()
        closed = true
        let connections = idle
        idle.removeAll()
        condition.broadcast()
        condition.unlock()
        for connection in connections { connection.close() }
    }

    private func checkOut() throws(StorageError) -> SQLiteConnection {
        condition.lock()
        defer { condition.unlock() }
        while idle.isEmpty && !closed { condition.wait() }
        guard !closed else { throw StorageError.closed }
        return idle.removeLast()
    }

    private func checkIn(_ connection: SQLiteConnection) {
        condition.lock()
        if closed {
            condition.unlock()
            connection.close()
            return
        }
        idle.append(connection)
        condition.signal()
        condition.unlock()
    }
}
