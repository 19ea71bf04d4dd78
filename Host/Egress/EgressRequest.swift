/// One outbound HTTP request a plugin asked the host to make.
public struct EgressRequest: Sendable {
    /// Uppercase HTTP method (`GET`, `POST`, …). CONNECT and TRACE are refused.
    public var method: String
    /// Absolute http(s) URL; see `EgressClient` for what is refused.
    public var url: String
    /// Header fields in order. Hop-by-hop and framing headers (Host, Content-Length,
    /// Transfer-Encoding, Connection, …) are set by the host and refused here.
    public var headers: [(String, String)]
    /// Request body; empty sends none for GET/HEAD/DELETE/OPTIONS and `Content-Length: 0` otherwise.
    public var body: [UInt8]
    /// Deadline for the whole request including redirects; clamped to 1…60 000 ms.
    public var timeoutMilliseconds: Int

    /// The default timeout when a request names none.
    public static let defaultTimeoutMilliseconds = 30_000
    /// The longest timeout honoured.
    public static let maxTimeoutMilliseconds = 60_000

    /// A request; only `url` is required.
    public init(method: String = "GET", url: String, headers: [(String, String)] = [], body: [UInt8] = [],
                timeoutMilliseconds: Int = EgressRequest.defaultTimeoutMilliseconds) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    /// Headers a plugin may not set: the host frames the request itself.
    static let reservedHeaders: Set<String> = [
        "host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade",
        "te", "trailer", "expect", "proxy-authorization", "proxy-connection",
    ]

    /// Checks method and headers before any network work.
    func validate() throws(EgressError) {
        guard (1...20).contains(method.utf8.count),
              method.utf8.allSatisfy({ ($0 >= 0x41 && $0 <= 0x5a) || $0 == 0x2d || $0 == 0x5f })
        else { throw EgressError(.invalidRequest, "method must be an uppercase token such as GET or POST") }
        guard method != "CONNECT", method != "TRACE" else {
            throw EgressError(.invalidRequest, "method \(method) is not allowed")
        }
        guard headers.count <= 100 else { throw EgressError(.invalidRequest, "too many headers (limit 100)") }
        var total = 0
        for (name, value) in headers {
            guard !name.isEmpty, name.utf8.allSatisfy(Self.isTokenByte) else {
                throw EgressError(.invalidRequest, "malformed header name")
            }
            guard !Self.reservedHeaders.contains(name.lowercased()) else {
                throw EgressError(.invalidRequest, "header \(name) is set by the host")
            }
            // No CR, LF or NUL: a value must not smuggle another header or request.
            guard value.utf8.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7f) }) else {
                throw EgressError(.invalidRequest, "header \(name) has control characters in its value")
            }
            total += name.utf8.count + value.utf8.count + 4
        }
        guard total <= 64 << 10 else { throw EgressError(.invalidRequest, "headers exceed 64 KiB") }
    }

    /// RFC 9110 token characters.
    private static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x41...0x5a, 0x61...0x7a: return true
        default: return "!#$%&'*+-.^_`|~".utf8.contains(b)
        }
    }
}
