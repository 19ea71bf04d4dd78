import Foundation
import RenumCore

/// The single writer: a dedicated thread that owns the writer connection and commits queued
/// writes in groups (group commit).
///
/// The thread takes every pending write (up to `maxBatch`), opens one `BEGIN IMMEDIATE`
/// transaction, runs each closure inside `SAVEPOINT s` (rolled back alone when it throws) or,
/// for `.checksFirst` writes, without one, commits once, and then completes the callers (after
/// the WAL sync, with synchronous FULL).
final class WriterQueue: @unchecked Sendable {
    private let connection: SQLiteConnection
    private let maxBatch: Int
    private let onBatchCommitted: @Sendable (CommittedBatch) -> Void
    /// When set, committed batches complete only after it has synced the WAL (see WALSyncer).
    private let syncer: WALSyncer?
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var pending: [any PendingWrite] = []
    private var accepting = true
    private var finished = false
    private var finishWaiters: [CheckedContinuation<Void, Never>] = []

    init(connection: SQLiteConnection, maxBatch: Int, syncer: WALSyncer?,
         onBatchCommitted: @escaping @Sendable (CommittedBatch) -> Void) {
        self.syncer = syncer
        self.connection = connection
        self.maxBatch = max(1, maxBatch)
        self.onBatchCommitted = onBatchCommitted
        let thread = Thread { [self] in self.loop() }
        thread.name = "renum-storage-writer"
        thread.start()
    }

    /// Queues a write; false when the queue no longer accepts writes.
    func enqueue(_ write: any PendingWrite) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard accepting else { return false }
        pending.append(write)
        condition.signal()
        return true
    }

    /// Stops accepting writes; the thread drains the queue and exits on its own.
    func shutdown() {
        condition.lock()
        accepting = false
        condition.broadcast()
        condition.unlock()
    }

    /// Stops accepting writes and returns once every queued write has committed and the
    /// connection is closed.
    func close() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            condition.lock()
            accepting = false
            if finished {
                condition.unlock()
                waiter.resume()
                return
            }
            finishWaiters.append(waiter)
            condition.broadcast()
            condition.unlock()
        }
    }

    // MARK: The writer thread

    private func loop() {
        while let batch = nextBatch() {
            commit(batch)
        }
        syncer?.finish()
        connection.close()
        condition.lock()
        finished = true
        let waiters = finishWaiters
        finishWaiters.removeAll()
        condition.unlock()
        for waiter in waiters { waiter.resume() }
    }

    /// Waits for writes; nil once closed and drained.
    private func nextBatch() -> [any PendingWrite]? {
        condition.lock()
        defer { condition.unlock() }
        while pending.isEmpty && accepting { condition.wait() }
        if pending.isEmpty { return nil }
        let count = min(maxBatch, pending.count)
        let batch = Array(pending.prefix(count))
        pending.removeFirst(count)
        return batch
    }

    /// Puts writes that never ran back at the head of the queue.
    private func requeue(_ writes: ArraySlice<any PendingWrite>) {
        guard !writes.isEmpty else { return }
        condition.lock()
        pending.insert(contentsOf: writes, at: 0)
        condition.unlock()
    }

    private func commit(_ batch: [any PendingWrite]) {
        let began = Monotonic.now()
        do {
            try connection.execute("BEGIN IMMEDIATE")
        } catch {
            for write in batch { write.complete(batchFailure: error) }
            return
        }
        var ran = batch.count
        var broken: StorageError?
        for (index, write) in batch.enumerated() {
            if let failure = run(write) {
                broken = failure
                ran = index + 1
                break
            }
        }
        var failure: (any Error)? = broken
        let committing = Monotonic.now()
        if broken == nil {
            do {
                try connection.execute("COMMIT")
            } catch {
                failure = error
            }
        }
        if failure != nil, connection.inTransaction {
            _ = try? connection.execute("ROLLBACK")
        }
        // Writes after a break never ran: they go into the next transaction.
        requeue(batch[ran...])
        if failure == nil {
            onBatchCommitted(CommittedBatch(writes: ran, runSeconds: Double(committing - began) / 1e9,
                                             commitSeconds: Double(Monotonic.now() - committing) / 1e9))
        }
        if failure == nil, let syncer {
            syncer.enqueue(Array(batch[..<ran]))
        } else {
            for write in batch[..<ran] { write.complete(batchFailure: failure) }
        }
    }

    /// Runs one write; returns an error only when the whole transaction is lost.
    private func run(_ write: any PendingWrite) -> StorageError? {
        guard write.isolation == .checksFirst else { return runInSavepoint(write) }
        let before = connection.totalChanges
        if write.run(on: connection) || (connection.totalChanges == before && connection.inTransaction) {
            // Done, or refused before it changed anything: nothing of it to undo.
            return nil
        }
        return StorageError(.other, "a write failed after changing rows; its batch is rolled back")
    }

    /// Runs one write in its savepoint; returns an error only when the whole transaction is lost.
    private func runInSavepoint(_ write: any PendingWrite) -> StorageError? {
        do {
            try connection.execute("SAVEPOINT s")
        } catch {
            write.fail(error)
            return connection.inTransaction ? nil : error
        }
        if write.run(on: connection) {
            do {
                try connection.execute("RELEASE s")
            } catch {
                write.fail(error)
                return error
            }
        } else {
            do {
                try connection.execute("ROLLBACK TO s")
                try connection.execute("RELEASE s")
            } catch {
                // SQLite rolled the whole transaction back (e.g. disk full): nothing in it survives.
                return error
            }
        }
        if !connection.inTransaction {
            return StorageError(.other, "SQLite rolled back the transaction")
        }
        return nil
    }
}
