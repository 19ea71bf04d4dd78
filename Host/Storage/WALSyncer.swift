import Foundation
import RenumCore
#if canImport(Glibc)
import Glibc
#endif

/// Makes committed batches durable on its own thread, so the writer can run the next batch's
/// SQL while the disk flushes the last one (pipelined group commit).
///
/// With `synchronous = FULL`, SQLite fsyncs the WAL inside every COMMIT, and the single writer
/// waits for the disk before it can start on the next batch. Instead the writer connection runs
/// with `synchronous = NORMAL` (COMMIT only writes the WAL frames) and hands each committed batch
/// here; this thread calls `fdatasync` on the WAL and only then completes the batch's writes.
/// A write is acknowledged only once a sync that started after its COMMIT has returned, which is
/// the durability FULL gives. (Other connections may read a batch before its sync: a row seen by
/// a job worker can, after a power loss, be gone together with its never-acknowledged request.)
final class WALSyncer: @unchecked Sendable {
    private let walPath: String
    private let onSynced: @Sendable (Double) -> Void
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var waiting: [[any PendingWrite]] = []
    private var closing = false
    private var finished = false
    // Used only by the sync thread.
    private var descriptor: Int32 = -1
    private var inode: UInt = 0

    /// `onSynced` gets each sync's duration in seconds (for metrics).
    init(databasePath: String, onSynced: @escaping @Sendable (Double) -> Void) {
        self.walPath = databasePath + "-wal"
        self.onSynced = onSynced
        let thread = Thread { [self] in self.loop() }
        thread.name = "renum-storage-sync"
        thread.start()
    }

    /// Queues a committed batch; its writes complete after the next sync.
    func enqueue(_ writes: [any PendingWrite]) {
        condition.lock()
        waiting.append(writes)
        condition.signal()
        condition.unlock()
    }

    /// Syncs and completes everything queued, then stops the thread; returns once it has.
    func finish() {
        condition.lock()
        closing = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while waiting.isEmpty && !closing { condition.wait() }
            let batches = waiting
            waiting.removeAll()
            let done = closing && batches.isEmpty
            condition.unlock()
            if done { break }
            let started = Monotonic.now()
            let failure = sync()
            if failure == nil { onSynced(Double(Monotonic.now() - started) / 1e9) }
            for batch in batches {
                for write in batch { write.complete(batchFailure: failure) }
            }
        }
        if descriptor >= 0 { close(descriptor) }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// fdatasync on the WAL; the error to complete the batches with when it fails.
    private func sync() -> StorageError? {
        // The WAL is recreated only when the last connection closes, but a sync of a stale file
        // would silently lose durability: check the path still names the file we hold.
        var status = stat()
        guard stat(walPath, &status) == 0 else {
            return StorageError(.io, "cannot stat the WAL: \(String(cString: strerror(errno)))")
        }
        if descriptor < 0 || UInt(status.st_ino) != inode {
            if descriptor >= 0 { close(descriptor) }
            descriptor = open(walPath, O_RDWR | O_CLOEXEC)
            guard descriptor >= 0 else {
                return StorageError(.io, "cannot open the WAL: \(String(cString: strerror(errno)))")
            }
            inode = UInt(status.st_ino)
        }
        while fdatasync(descriptor) != 0 {
            if errno == EINTR { continue }
            // After a failed fsync the kernel may have dropped the dirty pages: nothing in these
            // batches can be called durable, and retrying would not make it so.
            return StorageError(.io, "fdatasync of the WAL failed: \(String(cString: strerror(errno)))")
        }
        return nil
    }
}
