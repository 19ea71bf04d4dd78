#if canImport(Glibc)
import Glibc
#endif

/// Name resolution done by the host itself (getaddrinfo), so that every address can be
/// vetted before curl connects to one.
enum Resolver {
    /// Every distinct TCP address `host` resolves to, in resolver order.
    static func resolve(_ host: String) throws(EgressError) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>? = nil
        let rc = getaddrinfo(host, nil, &hints, &list)
        guard rc == 0, let list else {
            let reason = rc == EAI_AGAIN ? "temporary resolver failure" : "name does not resolve"
            throw EgressError(.dnsFailed, "could not resolve \(host): \(reason)")
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
        guard !addresses.isEmpty else { throw EgressError(.dnsFailed, "could not resolve \(host): no addresses") }
        return addresses
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
