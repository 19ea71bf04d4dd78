import RenumCore
import RenumObservability

/// The host's outbound HTTP client: every request a plugin makes goes through `perform`.
///
/// For each request and each redirect hop it: parses the URL strictly (http/https only,
/// no userinfo); checks the host against `allowedHosts` before any network work; resolves
/// the name itself and refuses if any address is forbidden; pins curl to the vetted
/// addresses (CURLOPT_RESOLVE) so a DNS answer that changes between check and connect is
/// never used; and checks afterwards that the connected address is one of them. Curl
/// never follows redirects; the client does, up to `maxRedirects`, re-checking each one.
public final class EgressClient: Sendable {
    private let logger: Logger

    /// Response header bytes accepted per response.
    static let maxHeaderBytes = 64 << 10
    /// The longest connect phase allowed, within the request's own timeout.
    static let maxConnectMilliseconds = 10_000
    /// The longest one name lookup may take (within the request's own timeout).
    static let maxResolveMilliseconds = 5_000

    /// A client logging one debug record per request (never headers or bodies).
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Performs `request` under `policy`, blocking the calling thread. Safe to call from
    /// many threads at once: each transfer uses a handle of its own.
    public func perform(_ request: EgressRequest, policy: EgressPolicy) throws(EgressError) -> EgressResponse {
        let clock = ContinuousClock()
        let start = clock.now
        var hostForLog = "-"
        do {
            let response = try run(request, policy: policy, clock: clock, start: start, host: &hostForLog)
            logger.debug("egress request", [
                "method": request.method, "host": hostForLog, "status": String(response.status),
                "bytes": String(response.body.count), "redirects": String(response.redirects),
                "duration_ms": Self.milliseconds(clock.now - start),
            ])
            return response
        } catch {
            logger.debug("egress request refused or failed", [
                "method": request.method, "host": hostForLog, "code": error.code.rawValue,
                "duration_ms": Self.milliseconds(clock.now - start),
            ])
            throw error
        }
    }

    private func run(_ request: EgressRequest, policy: EgressPolicy, clock: ContinuousClock,
                     start: ContinuousClock.Instant, host hostForLog: inout String) throws(EgressError) -> EgressResponse {
        try request.validate()
        let timeout = min(max(request.timeoutMilliseconds, 1), EgressRequest.maxTimeoutMilliseconds)
        let deadline = start + .milliseconds(timeout)
        var url = try EgressURL(request.url)
        var method = request.method
        var headers = request.headers
        var body: [UInt8]? = request.body.isEmpty && ["GET", "HEAD", "DELETE", "OPTIONS"].contains(method) ? nil : request.body
        var redirects = 0

        while true {
            hostForLog = url.host
            let addresses = try vet(url, policy: policy,
                                    resolveWithin: min(Self.wholeMilliseconds(deadline - clock.now), Self.maxResolveMilliseconds))
            let remaining = Self.wholeMilliseconds(deadline - clock.now)
            guard remaining > 0 else { throw EgressError(.timeout, "the request timed out") }
            let transfer = CurlTransfer(
                url: url.text, method: method, headers: headers, body: body,
                pin: url.literal == nil ? (url.host, url.port, addresses) : nil,
                timeoutMilliseconds: remaining,
                connectTimeoutMilliseconds: min(remaining, Self.maxConnectMilliseconds),
                maxBodyBytes: max(policy.maxResponseBytes, 0), maxHeaderBytes: Self.maxHeaderBytes)
            let result = try CurlEasy().perform(transfer)

            // The pin makes this hold; checking it anyway catches any path that bypassed it.
            guard let connected = IPAddress(result.primaryIP), addresses.contains(connected) else {
                throw EgressError(.connectionFailed, "the connection did not go to the vetted address")
            }

            guard [301, 302, 303, 307, 308].contains(result.status),
                  let location = result.headers.first(where: { $0.0.lowercased() == "location" })?.1
            else {
                return EgressResponse(status: result.status, headers: result.headers, body: result.body,
                                      remoteAddress: connected.description, redirects: redirects)
            }
            redirects += 1
            guard redirects <= policy.maxRedirects else {
                throw EgressError(.tooManyRedirects, "more than \(policy.maxRedirects) redirects")
            }
            let next: EgressURL
            do { next = try url.resolving(location) } catch {
                throw EgressError(error.code, "redirect Location refused: \(error.message)")
            }
            // 303 (and 301/302 after POST, as browsers and curl do) become a GET without body;
            // 307 and 308 keep method and body.
            if (result.status == 303 && method != "HEAD") || ([301, 302].contains(result.status) && method == "POST") {
                method = "GET"
                body = nil
                headers.removeAll { ["content-type", "content-encoding"].contains($0.0.lowercased()) }
            }
            if next.origin != url.origin {
                headers.removeAll { ["authorization", "cookie"].contains($0.0.lowercased()) }
            }
            url = next
        }
    }

    /// Rules 1–2 for one URL: scheme, allowlist, then every resolved address.
    private func vet(_ url: EgressURL, policy: EgressPolicy, resolveWithin milliseconds: Int) throws(EgressError) -> [IPAddress] {
        guard policy.allowsScheme(url.scheme) else {
            throw EgressError(.schemeNotAllowed, "scheme \(url.scheme) is not allowed (use http or https)")
        }
        guard policy.allowsHost(url.host) else {
            throw EgressError(.hostNotAllowed, "host \(url.host) is not in allowed_hosts")
        }
        let addresses: [IPAddress]
        if let literal = url.literal {
            addresses = [literal]
        } else {
            guard milliseconds > 0 else { throw EgressError(.timeout, "the request timed out") }
            addresses = try Resolver.resolve(url.host, timeoutMilliseconds: milliseconds)
        }
        for address in addresses where !address.isAllowed(allowPrivateAddresses: policy.allowPrivateAddresses) {
            throw EgressError(.addressForbidden, "host \(url.host) resolves to a forbidden address (\(address.category.rawValue))")
        }
        return addresses
    }

    private static func wholeMilliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }

    private static func milliseconds(_ duration: Duration) -> String { String(wholeMilliseconds(duration)) }
}
