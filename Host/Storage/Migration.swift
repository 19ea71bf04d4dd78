import RenumCore

/// One step of the schema, applied once, in version order, in its own transaction.
public struct Migration: Sendable {
    /// Position in the schema's history; unique and increasing.
    public let version: Int
    /// A short description, recorded in `schema_migrations`.
    public let name: String
    /// Statements run in order; keep them portable between SQLite and PostgreSQL.
    public let sql: [String]

    /// A migration from its version, name and statements.
    public init(version: Int, name: String, sql: [String]) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}

/// Applies pending migrations and records each in `schema_migrations`.
struct Migrator {
    let migrations: [Migration]

    init(_ migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    func apply(on connection: SQLiteConnection) throws(StorageError) {
        let versions = migrations.map(\.version)
        guard Set(versions).count == versions.count else {
            throw StorageError(.misuse, "duplicate migration versions in \(versions)")
        }
        try connection.exec("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL
            )
            """)
        for migration in migrations {
            try apply(migration, on: connection)
        }
    }

    private func apply(_ migration: Migration, on connection: SQLiteConnection) throws(StorageError) {
        // IMMEDIATE takes the write lock first, so two processes opening at once apply it once.
        try connection.exec("BEGIN IMMEDIATE")
        do throws(StorageError) {
            let done = try connection.query("SELECT version FROM schema_migrations WHERE version = ?",
                                            [.integer(Int64(migration.version))])
            if done.isEmpty {
                for statement in migration.sql { try connection.exec(statement) }
                try connection.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    [.integer(Int64(migration.version)), .text(migration.name), .text(Timestamp.now())])
            }
            try connection.exec("COMMIT")
        } catch {
            if connection.inTransaction { try? connection.exec("ROLLBACK") }
            throw StorageError(error.code,
                               "migration \(migration.version) (\(migration.name)) failed: \(error.message)",
                               sql: error.sql)
        }
    }
}
