/// An absolute http(s) URL, parsed strictly by the host before any network work.
///
/// Accepts `scheme://host[:port][/path][?query]`. Refuses userinfo (`user:pass@`),
/// percent-encoded or non-ASCII hosts (send IDNs as punycode), numeric host forms other
/// than a dotted quad (`127.1`, `0x7f.0.0.1`, `2130706433`), IPv6 zones, empty labels,
/// control characters, spaces and backslashes. A fragment is dropped.
struct EgressURL: Sendable, Equatable {
    /// Lowercased: `http` or `https` (other schemes parse but are refused by policy).
    let scheme: String
    /// Lowercased name, or an IP literal without brackets.
    let host: String
    /// Set when the host is an IP literal.
    let literal: IPAddress?
    /// Explicit or default port.
    let port: Int
    /// Path and query, starting with `/`.
    let pathAndQuery: String

    /// The URL as handed to curl.
    var text: String {
        let hostPart = literal?.urlHost ?? host
        return "\(scheme)://\(hostPart):\(port)\(pathAndQuery)"
    }

    /// scheme, host and port: a redirect that changes it drops credentials.
    var origin: String { "\(scheme)://\(literal?.urlHost ?? host):\(port)" }

    /// Parses an absolute URL.
    init(_ text: String) throws(EgressError) {
        guard text.utf8.count <= 8192 else { throw EgressError(.invalidRequest, "URL too long") }
        guard let schemeEnd = text.firstRange(of: "://") else { throw EgressError(.invalidRequest, "URL must be absolute") }
        let scheme = String(text[..<schemeEnd.lowerBound])
        guard Self.isScheme(scheme) else { throw EgressError(.invalidRequest, "malformed URL scheme") }
        self.scheme = scheme.lowercased()

        var rest = Substring(text[schemeEnd.upperBound...])
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        guard !authority.contains("@") else { throw EgressError(.invalidRequest, "credentials in the URL are not allowed") }
        guard path.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7f && $0 != "\\" }) else {
            throw EgressError(.invalidRequest, "URL path may hold only printable ASCII (percent-encode the rest)")
        }
        self.pathAndQuery = path

        let hostText: Substring
        var portText: Substring? = nil
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw EgressError(.invalidRequest, "malformed IPv6 host") }
            hostText = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw EgressError(.invalidRequest, "malformed URL authority") }
                portText = after.dropFirst()
            }
            guard let address = IPAddress(String(hostText)), !address.isIPv4 else {
                throw EgressError(.invalidRequest, "malformed IPv6 host")
            }
            self.literal = address
            self.host = address.description
        } else {
            if let colon = authority.firstIndex(of: ":") {
                hostText = authority[..<colon]
                portText = authority[authority.index(after: colon)...]
            } else {
                hostText = authority
            }
            let host = hostText.lowercased()
            try Self.checkHostName(host)
            self.literal = IPAddress(host)
            self.host = host
        }

        if let portText {
            guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let port = Int(portText), (1...65535).contains(port)
            else { throw EgressError(.invalidRequest, "malformed URL port") }
            self.port = port
        } else {
            self.port = self.scheme == "https" ? 443 : 80
        }
    }

    /// Letters, digits, `-` and `_` in non-empty labels of at most 63; the last label
    /// all digits only in a dotted quad (anything else numeric is an IPv4 trick).
    private static func checkHostName(_ host: String) throws(EgressError) {
        guard !host.isEmpty, host.utf8.count <= 253 else { throw EgressError(.invalidRequest, "malformed URL host") }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            guard !label.isEmpty, label.utf8.count <= 63,
                  label.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2d || $0 == 0x5f })
            else { throw EgressError(.invalidRequest, "malformed URL host") }
        }
        let last = labels[labels.count - 1]
        let numericLast = last.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } || last.hasPrefix("0x")
        if numericLast && IPAddress(host).map({ $0.isIPv4 }) != true {
            throw EgressError(.invalidRequest, "malformed URL host (numeric host forms other than a dotted quad are refused)")
        }
    }

    /// An ASCII letter, then letters, digits, `+`, `-` or `.`.
    private static func isScheme(_ text: some StringProtocol) -> Bool {
        let isLetter = { (b: UInt8) in (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) }
        guard let first = text.utf8.first, isLetter(first) else { return false }
        return text.utf8.allSatisfy { isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2b || $0 == 0x2d || $0 == 0x2e }
    }

    /// Resolves a `Location` header against this URL: absolute, scheme-relative
    /// (`//host/p`), absolute-path (`/p`), query-only (`?q`) or relative (`p`).
    func resolving(_ location: String) throws(EgressError) -> EgressURL {
        let location = location.trimmingCharacters(in: " \t")
        if let colon = location.firstIndex(of: ":"), Self.isScheme(location[..<colon]) { return try EgressURL(location) }
        if location.hasPrefix("//") { return try EgressURL("\(scheme):\(location)") }
        if location.hasPrefix("/") { return try EgressURL(origin + location) }
        let path = pathAndQuery.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        if location.hasPrefix("?") { return try EgressURL(origin + path + location) }
        let directory = path[...path.lastIndex(of: "/")!]
        return try EgressURL(origin + directory + location)
    }
}

private extension String {
    func trimmingCharacters(in set: String) -> String {
        var scalars = Substring(self)
        while let first = scalars.first, set.contains(first) { scalars = scalars.dropFirst() }
        while let last = scalars.last, set.contains(last) { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
