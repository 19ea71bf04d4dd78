import Foundation

/// The embedded `Store`: SQLite in WAL mode, a pool of reader connections and one writer thread
/// that commits writes in groups.
public final class SQLiteStore: Store {
    private let readers: ReaderPool
    private let writer: WriterQueue
    private let checkpointer: Checkpointer

    /// Opens (creating when missing) the database, applies pending migrations on the writer
    /// connection, then opens the readers and starts the writer thread.
    public init(_ config: SQLiteConfiguration, migrations: [Migration] = Schema.migrations) throws {
        let directory = (config.path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw StorageError(.io, "cannot create \(directory): \(error)")
            }
        }
        let writerConnection = try SQLiteConnection(
            path: config.path, role: .writer, synchronous: config.synchronous,
            busyTimeoutMilliseconds: config.busyTimeoutMilliseconds)
        try Migrator(migrations).apply(on: writerConnection)
        var readerConnections: [SQLiteConnection] = []
        for _ in 0..<max(1, config.readerCount) {
            readerConnections.append(try SQLiteConnection(
                path: config.path, role: .reader, synchronous: config.synchronous,
                busyTimeoutMilliseconds: config.busyTimeoutMilliseconds))
        }
        readers = ReaderPool(readerConnections)
        let checkpointer = Checkpointer(connection: try SQLiteConnection(
            path: config.path, role: .checkpointer, synchronous: config.synchronous,
            busyTimeoutMilliseconds: config.busyTimeoutMilliseconds))
        self.checkpointer = checkpointer
        // FULL durability without the fsync inside COMMIT: the writer's COMMIT only writes the WAL
        // and a sync thread acknowledges each batch after its fdatasync (see WALSyncer).
        var syncer: WALSyncer?
        if config.synchronous == .full {
            try writerConnection.exec("PRAGMA synchronous = NORMAL")
            syncer = WALSyncer(databasePath: config.path, onSynced: config.onWALSynced ?? { _ in })
        }
        let onBatchCommitted = config.onBatchCommitted
        writer = WriterQueue(connection: writerConnection, maxBatch: config.maxBatch, syncer: syncer) { batch in
            checkpointer.committed()
            onBatchCommitted?(batch)
        }
    }

    deinit {
        // Lets the writer thread drain and exit when the store is dropped without close().
        writer.shutdown()
        checkpointer.stop(wait: false)
        readers.close()
    }

    public func read<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try readers.with { connection in
            // One read transaction, so every query in `body` sees the same snapshot.
            try connection.execute("BEGIN")
            do {
                let result = try body(connection)
                try connection.execute("COMMIT")
                return result
            } catch {
                if connection.inTransaction { _ = try? connection.execute("ROLLBACK") }
                throw error
            }
        }
    }

    @discardableResult
    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            write(body) { continuation.resume(with: $0) }
        }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T, isolation: WriteIsolation,
                                   completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        if !writer.enqueue(TypedWrite(body, isolation: isolation, completion: completion)) {
            completion(.failure(StorageError.closed))
        }
    }

    public func ping() throws {
        try readers.with { connection in
            _ = try connection.query("SELECT 1")
        }
    }

    public func close() async {
        await writer.close()
        checkpointer.stop(wait: true)
        readers.close()
    }
}
