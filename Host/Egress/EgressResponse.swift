/// The final response to an `EgressRequest`, after any redirects the host followed.
public struct EgressResponse: Sendable {
    /// HTTP status code (a non-2xx status is a response, not an error).
    public var status: Int
    /// Header fields of the final response, as received, in order.
    public var headers: [(String, String)]
    /// Body bytes (never more than the policy's `maxResponseBytes`).
    public var body: [UInt8]
    /// The vetted address the final response came from.
    public var remoteAddress: String
    /// How many redirects were followed.
    public var redirects: Int

    /// A response value.
    public init(status: Int, headers: [(String, String)], body: [UInt8], remoteAddress: String, redirects: Int) {
        self.status = status
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.redirects = redirects
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let name = name.lowercased()
        return headers.first { $0.0.lowercased() == name }?.1
    }
}
