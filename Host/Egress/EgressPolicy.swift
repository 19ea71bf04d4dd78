/// What outbound requests the host lets a plugin make.
///
/// `allowedHosts` comes from the plugin's manifest; `allowPrivateAddresses` is server
/// configuration and must never be settable by a plugin.
public struct EgressPolicy: Sendable {
    /// Exact names (`api.telegram.org`) and wildcards (`*.example.com`, which matches
    /// `a.example.com` and `a.b.example.com` but not `example.com`). Case-insensitive.
    /// `*` alone matches any host name (the SDK README offers it). IP literals match only
    /// when listed exactly, never through a wildcard. Address rules apply in every case.
    public var allowedHosts: [String]
    /// Lets requests reach loopback, private (RFC 1918, ULA), link-local and CGNAT addresses.
    /// Server-level configuration (tests need loopback). Cloud metadata, unspecified,
    /// multicast, broadcast and reserved addresses stay forbidden even then.
    public var allowPrivateAddresses: Bool
    /// The largest response body accepted, in bytes.
    public var maxResponseBytes: Int
    /// The most redirects followed for one request.
    public var maxRedirects: Int
    /// Schemes a request or redirect may use; only `http` and `https` are ever honoured.
    public var allowedSchemes: Set<String>

    /// A policy allowing `allowedHosts` with the defaults for everything else.
    public init(allowedHosts: [String], allowPrivateAddresses: Bool = false, maxResponseBytes: Int = 5 << 20,
                maxRedirects: Int = 5, allowedSchemes: Set<String> = ["https", "http"]) {
        self.allowedHosts = allowedHosts
        self.allowPrivateAddresses = allowPrivateAddresses
        self.maxResponseBytes = maxResponseBytes
        self.maxRedirects = maxRedirects
        self.allowedSchemes = allowedSchemes
    }

    /// True when `host` (a URL host, without brackets for IPv6) is in `allowedHosts`.
    public func allowsHost(_ host: String) -> Bool {
        let host = host.lowercased()
        guard !host.isEmpty else { return false }
        for entry in allowedHosts {
            var pattern = entry.lowercased()
            if pattern.hasPrefix("[") && pattern.hasSuffix("]") { pattern = String(pattern.dropFirst().dropLast()) }
            if pattern == "*" {
                if IPAddress(host) == nil { return true }
            } else if pattern.hasPrefix("*.") {
                let suffix = pattern.dropFirst(1)  // ".example.com"
                // A wildcard never matches an IP literal, and needs at least one label before the suffix.
                if suffix.count > 1, host.count > suffix.count, host.hasSuffix(suffix),
                   IPAddress(host) == nil {
                    return true
                }
            } else if pattern == host {
                return true
            }
        }
        return false
    }

    /// True when `scheme` may be used (the policy lists it and it is http or https).
    func allowsScheme(_ scheme: String) -> Bool {
        (scheme == "http" || scheme == "https") && allowedSchemes.contains(scheme)
    }
}
