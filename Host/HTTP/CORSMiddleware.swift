/// Cross-origin access for a separate front end, for the configured origins only.
///
/// Tokens travel in the Authorization header, not cookies, so credentials are never
/// allowed cross-origin. An origin that is not configured gets no CORS headers, and
/// its preflight falls through to the router (405).
public struct CORSMiddleware: Middleware {
    let allowedOrigins: Set<String>
    let allowsAnyOrigin: Bool
    let maxAgeSeconds: Int

    static let allowedMethods = "GET, POST, PUT, DELETE, OPTIONS"
    static let allowedHeaders = "Authorization, Content-Type, Idempotency-Key, X-Request-Id"
    static let exposedHeaders = "X-Request-Id, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset"

    /// `origins` are exact origins (`https://app.example.com`) or `*`.
    public init(origins: [String], maxAgeSeconds: Int = 600) {
        self.allowsAnyOrigin = origins.contains("*")
        self.allowedOrigins = Set(origins.filter { $0 != "*" })
        self.maxAgeSeconds = maxAgeSeconds
    }

    public func prepare(_ request: inout Request) throws -> Response? {
        guard let origin = allowedOrigin(of: request), request.method == .options,
              request.headers["Access-Control-Request-Method"] != nil else { return nil }
        var preflight = Response(status: 204)
        addOriginHeaders(origin, to: &preflight)
        preflight.headers.set("Access-Control-Allow-Methods", Self.allowedMethods)
        preflight.headers.set("Access-Control-Allow-Headers", Self.allowedHeaders)
        preflight.headers.set("Access-Control-Max-Age", String(maxAgeSeconds))
        return preflight
    }

    public func finish(_ request: Request, _ response: inout Response) {
        guard let origin = allowedOrigin(of: request) else { return }
        addOriginHeaders(origin, to: &response)
        response.headers.set("Access-Control-Expose-Headers", Self.exposedHeaders)
    }

    private func allowedOrigin(of request: Request) -> String? {
        guard let origin = request.headers["Origin"], allowsAnyOrigin || allowedOrigins.contains(origin) else { return nil }
        return origin
    }

    private func addOriginHeaders(_ origin: String, to response: inout Response) {
        response.headers.set("Access-Control-Allow-Origin", allowsAnyOrigin ? "*" : origin)
        response.headers.add("Vary", "Origin")
    }
}
