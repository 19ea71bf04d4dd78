/// What kind of destination an IP address is, for SSRF checks.
public enum AddressCategory: String, Sendable, CaseIterable {
    /// A public unicast address: always allowed.
    case global
    /// 127.0.0.0/8, ::1.
    case loopback
    /// 10/8, 172.16/12, 192.168/16, fc00::/7 (except metadata).
    case privateNetwork
    /// 169.254/16, fe80::/10 (except metadata).
    case linkLocal
    /// 100.64.0.0/10, carrier-grade NAT shared space.
    case sharedAddressSpace
    /// Cloud instance metadata: 169.254.169.254, fd00:ec2::254.
    case cloudMetadata
    /// 0.0.0.0/8 and :: (0.0.0.0 reaches the local host on Linux).
    case unspecified
    /// 224/4, ff00::/8.
    case multicast
    /// 255.255.255.255.
    case broadcast
    /// 240/4 (class E) and other ranges that are never a valid destination.
    case reserved

    /// Whether a request may go to an address of this category.
    ///
    /// Loopback, private, link-local and shared addresses are allowed only when the server
    /// configuration says so. Cloud metadata is forbidden always, even then: it hands out
    /// the machine's own credentials, and no test or deployment needs a plugin to reach it.
    /// Unspecified, multicast, broadcast and reserved addresses are never valid destinations.
    public func isAllowed(allowPrivateAddresses: Bool) -> Bool {
        switch self {
        case .global: return true
        case .loopback, .privateNetwork, .linkLocal, .sharedAddressSpace: return allowPrivateAddresses
        case .cloudMetadata, .unspecified, .multicast, .broadcast, .reserved: return false
        }
    }
}

extension IPAddress {
    /// The category of this address; IPv6 forms that embed an IPv4 address (mapped
    /// `::ffff:a.b.c.d`, compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`)
    /// are classified by the IPv4 address inside.
    public var category: AddressCategory {
        if isIPv4 { return Self.categoryV4(bytes) }
        return Self.categoryV6(bytes)
    }

    /// True when a request may go to this address under the given server setting.
    public func isAllowed(allowPrivateAddresses: Bool) -> Bool {
        category.isAllowed(allowPrivateAddresses: allowPrivateAddresses)
    }

    private static func categoryV4(_ b: [UInt8]) -> AddressCategory {
        switch (b[0], b[1]) {
        case (169, 254) where b[2] == 169 && b[3] == 254: return .cloudMetadata
        case (0, _): return .unspecified
        case (127, _): return .loopback
        case (10, _): return .privateNetwork
        case (172, 16...31): return .privateNetwork
        case (192, 168): return .privateNetwork
        case (169, 254): return .linkLocal
        case (100, 64...127): return .sharedAddressSpace
        case (224...239, _): return .multicast
        case (255, 255) where b[2] == 255 && b[3] == 255: return .broadcast
        case (240...255, _): return .reserved
        default: return .global
        }
    }

    private static func categoryV6(_ b: [UInt8]) -> AddressCategory {
        let first10Zero = b[0..<10].allSatisfy { $0 == 0 }
        // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (deprecated compatible form).
        if first10Zero && b[10] == 0xff && b[11] == 0xff { return categoryV4(Array(b[12..<16])) }
        if b[0..<12].allSatisfy({ $0 == 0 }) {
            if b[12..<15].allSatisfy({ $0 == 0 }) {
                if b[15] == 0 { return .unspecified }
                if b[15] == 1 { return .loopback }
            }
            return categoryV4(Array(b[12..<16]))
        }
        // NAT64 well-known prefix 64:ff9b::/96 translates to the IPv4 address inside.
        if b[0..<12] == [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0][...] { return categoryV4(Array(b[12..<16])) }
        // 6to4 2002:AABB:CCDD::/48 tunnels to the IPv4 address AA.BB.CC.DD.
        if b[0] == 0x20 && b[1] == 0x02 {
            return categoryV4(Array(b[2..<6]))
        }
        // AWS's IPv6 metadata endpoint fd00:ec2::254.
        if b == [0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54] { return .cloudMetadata }
        if b[0] == 0xff { return .multicast }
        if b[0] & 0xfe == 0xfc { return .privateNetwork }
        if b[0] == 0xfe && b[1] & 0xc0 == 0x80 { return .linkLocal }
        // fec0::/10, deprecated site-local: treated as private.
        if b[0] == 0xfe && b[1] & 0xc0 == 0xc0 { return .privateNetwork }
        // 100::/64 discard-only prefix.
        if b[0] == 0x01 && b[1] == 0x00 && b[2..<8].allSatisfy({ $0 == 0 }) { return .reserved }
        return .global
    }
}
