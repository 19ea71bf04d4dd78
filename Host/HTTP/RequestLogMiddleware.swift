import RenumCore
import RenumObservability

/// Counts and times every request by route, echoes the request id, and writes the access log.
///
/// Labels use the route pattern, never the raw path, so ids in paths cannot grow the
/// number of series. The query string is never logged: it may carry tokens.
public struct RequestLogMiddleware: Middleware {
    let metrics: MetricsRegistry
    let logger: Logger

    public static let requestsTotal = "renum_http_requests_total"
    public static let requestDuration = "renum_http_request_duration_seconds"

    public init(metrics: MetricsRegistry, logger: Logger) {
        self.metrics = metrics
        self.logger = logger
        metrics.declare(Self.requestsTotal, help: "HTTP requests answered, by method, route and status.", kind: .counter)
        metrics.declare(Self.requestDuration, help: "Time from request received to response ready, by method and route.", kind: .histogram)
    }

    public func finish(_ request: Request, _ response: inout Response) {
        response.headers.set("X-Request-Id", request.id)
        let seconds = Double(Monotonic.now() &- request.receivedAt) / 1e9
        let route = request.route ?? "unmatched"
        let method = request.method.rawValue
        metrics.increment(Self.requestsTotal, [("method", method), ("route", route), ("status", String(response.status))])
        metrics.observe(Self.requestDuration, [("method", method), ("route", route)], seconds)
        let level: LogLevel = response.status >= 500 ? .error : .info
        if logger.isEnabled(level) {
            logger.log(level, "request", [
                "request_id": request.id, "method": method, "path": request.path, "route": route,
                "status": String(response.status), "duration_ms": Self.milliseconds(seconds),
                "remote": request.remoteAddress,
            ])
        }
    }

    /// `1.234` (milliseconds with three decimals), without `String(format:)`, which is slow on Linux.
    static func milliseconds(_ seconds: Double) -> String {
        let micros = Int((seconds * 1_000_000).rounded())
        let fraction = String(micros % 1000)
        return "\(micros / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
