import Foundation
import RenumCore
import Synchronization

/// Tokens already verified, so a client that sends the same token on every request
/// pays for base64, HMAC and JSON parsing once.
///
/// Keyed by the whole token text: a hit means these exact bytes passed every check
/// before. Only the time window can change, so `exp` and `nbf` are kept and checked
/// again on each hit. Bounded: when full, expired entries go first, then everything.
final class VerifiedTokenCache: Sendable {
    struct Entry: Sendable {
        let principal: Principal
        let expiry: Double
        let notBefore: Double?
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    func lookup(_ token: String) -> Entry? {
        entries.withLock { $0[token] }
    }

    func insert(_ token: String, _ entry: Entry, now: Double) {
        guard capacity > 0 else { return }
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.value.expiry >= now }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[token] = entry
        }
    }
}
