/// Why the host refused or failed an outbound request.
///
/// Messages are written to be shown to the plugin that asked: they name the host, the
/// rule or the failure, never header values, bodies or anything from the server's config.
public struct EgressError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stable, machine-readable reason.
    public enum Code: String, Sendable {
        /// The URL's host is not in the plugin's `allowed_hosts`.
        case hostNotAllowed = "EGRESS_HOST_NOT_ALLOWED"
        /// The host resolved to (or is) an address the server forbids (loopback, private, metadata, …).
        case addressForbidden = "EGRESS_ADDRESS_FORBIDDEN"
        /// The URL's scheme is not http or https (or not in the policy's schemes).
        case schemeNotAllowed = "EGRESS_SCHEME_NOT_ALLOWED"
        /// The request itself is malformed: bad URL, method, header, JSON.
        case invalidRequest = "EGRESS_INVALID_REQUEST"
        /// The request did not complete within its timeout.
        case timeout = "EGRESS_TIMEOUT"
        /// The response (body or headers) exceeded the size cap.
        case responseTooLarge = "EGRESS_RESPONSE_TOO_LARGE"
        /// More redirects than the policy allows.
        case tooManyRedirects = "EGRESS_TOO_MANY_REDIRECTS"
        /// The connection or TLS handshake failed, or the transfer broke off.
        case connectionFailed = "EGRESS_CONNECTION_FAILED"
        /// The host name did not resolve.
        case dnsFailed = "EGRESS_DNS_FAILED"
    }

    /// The reason.
    public let code: Code
    /// A short explanation, safe to hand to the plugin.
    public let message: String

    /// An error with `code` and a plugin-safe `message`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
