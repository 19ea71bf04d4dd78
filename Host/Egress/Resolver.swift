import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Name resolution done by the host itself (getaddrinfo), so that every address can be
/// vetted before curl connects to one.
///
/// getaddrinfo has no timeout of its own and can block for as long as a resolver fails to
/// answer. Each lookup therefore runs on a thread of its own, and the caller waits at most its
/// timeout: a lookup past it is abandoned (its thread finishes and frees its result in the
/// background). At most `LookupSlots.shared.limit` lookups may be running, abandoned ones
/// included, so a dead resolver cannot make the host pile up threads.
enum Resolver {
    /// Every distinct TCP address `host` resolves to, in resolver order, within `timeoutMilliseconds`.
    static func resolve(_ host: String, timeoutMilliseconds: Int) throws(EgressError) -> [IPAddress] {
        try resolve(host, timeoutMilliseconds: timeoutMilliseconds, slots: .shared, lookup: systemLookup)
    }

    /// `resolve` with the slots and the lookup itself given (tests stand in for a resolver that hangs).
    static func resolve(_ host: String, timeoutMilliseconds: Int, slots: LookupSlots,
                        lookup: @escaping @Sendable (String) -> Result<[IPAddress], EgressError>) throws(EgressError) -> [IPAddress] {
        guard slots.take() else {
            throw EgressError(.dnsFailed, "could not resolve \(host): too many lookups in progress")
        }
        let answer = LookupAnswer()
        Thread {
            answer.deliver(lookup(host))
            slots.give()
        }.start()
        guard let result = answer.wait(milliseconds: max(1, timeoutMilliseconds)) else {
            throw EgressError(.dnsFailed, "could not resolve \(host): no answer within \(timeoutMilliseconds) ms")
        }
        return try result.get()
    }

    /// getaddrinfo, blocking.
    private static func systemLookup(_ host: String) -> Result<[IPAddress], EgressError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>? = nil
        let rc = getaddrinfo(host, nil, &hints, &list)
        guard rc == 0, let list else {
            let reason = rc == EAI_AGAIN ? "temporary resolver failure" : "name does not resolve"
            return .failure(EgressError(.dnsFailed, "could not resolve \(host): \(reason)"))
        }
        defer { freeaddrinfo(list) }
        var addresses: [IPAddress] = []
        var node: UnsafeMutablePointer<addrinfo>? = list
        while let current = node {
            if let address = Self.address(of: current.pointee), !addresses.contains(address) {
                addresses.append(address)
            }
            node = current.pointee.ai_next
        }
        guard !addresses.isEmpty else { return .failure(EgressError(.dnsFailed, "could not resolve \(host): no addresses")) }
        return .success(addresses)
    }

    private static func address(of info: addrinfo) -> IPAddress? {
        guard let raw = info.ai_addr else { return nil }
        switch info.ai_family {
        case AF_INET:
            return raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                var sin = pointer.pointee.sin_addr
                return IPAddress(bytes: withUnsafeBytes(of: &sin) { Array($0) })
            }
        case AF_INET6:
            return raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                var sin6 = pointer.pointee.sin6_addr
                return IPAddress(bytes: withUnsafeBytes(of: &sin6) { Array($0) })
            }
        default:
            return nil
        }
    }
}

/// One lookup's result, handed from its thread to a caller that may have stopped waiting.
private final class LookupAnswer: @unchecked Sendable {
    // Sendable by contract: `result` is guarded by `condition`.
    private let condition = NSCondition()
    private var result: Result<[IPAddress], EgressError>?

    func deliver(_ value: Result<[IPAddress], EgressError>) {
        condition.lock()
        result = value
        condition.broadcast()
        condition.unlock()
    }

    /// The result, or nil when none came within `milliseconds`.
    func wait(milliseconds: Int) -> Result<[IPAddress], EgressError>? {
        let deadline = Date(timeIntervalSinceNow: Double(milliseconds) / 1000)
        condition.lock()
        defer { condition.unlock() }
        while result == nil, condition.wait(until: deadline) {}
        return result
    }
}

/// How many lookups may run at once, abandoned ones included.
final class LookupSlots: Sendable {
    static let shared = LookupSlots(limit: 64)
    let limit: Int
    private let inFlight = Atomic<Int>(0)

    init(limit: Int) { self.limit = limit }

    /// Takes a slot; false (and nothing taken) when all are in use.
    func take() -> Bool {
        guard inFlight.add(1, ordering: .acquiringAndReleasing).newValue <= limit else {
            inFlight.subtract(1, ordering: .acquiringAndReleasing)
            return false
        }
        return true
    }

    func give() { inFlight.subtract(1, ordering: .acquiringAndReleasing) }
}
