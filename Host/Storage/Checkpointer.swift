import Foundation

/// Copies the WAL back into the database file on its own thread and connection.
///
/// Why: SQLite checkpoints by default inside the COMMIT that pushes the WAL past 1000 pages, on
/// the committing connection. Here that is the single writer thread, the one serial step every
/// durable request waits for; a checkpoint there stalls every caller of that batch. PASSIVE
/// checkpoints from this thread never block the writer. The writer keeps a far higher
/// autocheckpoint of its own as a safety net, for when this thread cannot keep up.
final class Checkpointer: @unchecked Sendable {
    private let connection: SQLiteConnection
    private let interval: TimeInterval
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var commitsSinceCheckpoint = 0
    private var running = true
    private var finished = false

    init(connection: SQLiteConnection, interval: TimeInterval = 0.02) {
        self.connection = connection
        self.interval = interval
        let thread = Thread { [self] in self.loop() }
        thread.name = "renum-storage-checkpoint"
        thread.start()
    }

    /// Called by the writer after each commit.
    func committed() {
        condition.lock()
        commitsSinceCheckpoint += 1
        condition.unlock()
    }

    /// Stops the thread (after the checkpoint in progress, if any), which closes its connection;
    /// with `wait`, returns once it has.
    func stop(wait: Bool) {
        condition.lock()
        running = false
        condition.broadcast()
        while wait && !finished { condition.wait() }
        condition.unlock()
    }

    private func loop() {
        condition.lock()
        while running {
            _ = condition.wait(until: Date(timeIntervalSinceNow: interval))
            guard running, commitsSinceCheckpoint > 0 else { continue }
            commitsSinceCheckpoint = 0
            condition.unlock()
            // A failure (busy, I/O) is not fatal: the next round or the writer's own safety net retries.
            try? connection.exec("PRAGMA wal_checkpoint(PASSIVE)")
            condition.lock()
        }
        connection.close()
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}
