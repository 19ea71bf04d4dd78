/// Adds the security headers to every response, errors included.
public struct SecurityHeadersMiddleware: Middleware {
    /// The API serves JSON only: nothing may be framed, scripted or sniffed.
    public static let headers: [(String, String)] = [
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        // "0" disables the legacy XSS auditor, whose blocking mode could itself be abused;
        // the CSP below is the real protection.
        ("X-XSS-Protection", "0"),
        ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
        ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
        ("Referrer-Policy", "no-referrer"),
        ("Cache-Control", "no-store"),
    ]

    public init() {}

    public func finish(_ request: Request, _ response: inout Response) {
        Self.apply(to: &response)
    }

    static func apply(to response: inout Response) {
        for (name, value) in headers where !response.headers.contains(name) {
            response.headers.add(name, value)
        }
    }
}
