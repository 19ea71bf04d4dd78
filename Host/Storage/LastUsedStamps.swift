import Foundation
import RenumCore
import Synchronization

/// When each integration's `last_used_at` was last written, so that a busy integration's row is
/// rewritten at most once a second instead of once per delivery (the same hot row in every
/// transaction). `last_used_at` is therefore exact to about a second.
final class LastUsedStamps: Sendable {
    private let stamped = Mutex<[UUID: UInt64]>([:])
    private let interval: UInt64 = 1_000_000_000

    /// True (and recorded) when `id` was not stamped within the last second.
    func due(_ id: UUID) -> Bool {
        let nanos = Monotonic.now()
        return stamped.withLock { table in
            if let last = table[id], nanos &- last < interval { return false }
            if table.count >= 100_000 { table.removeAll(keepingCapacity: true) }
            table[id] = nanos
            return true
        }
    }
}
