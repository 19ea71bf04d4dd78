/// Limits and addresses of the HTTP server; every limit is configurable.
public struct HTTPServerConfiguration: Sendable {
    /// An IPv4 or IPv6 literal, or `localhost`.
    public var host: String = "127.0.0.1"
    /// 0 picks a free port (read it back from `HTTPServer.port`).
    public var port: Int = 8080
    /// libmicrohttpd threads, each running its own epoll loop.
    public var threads: Int = 2
    /// Larger bodies are refused with 413 (before reading them when Content-Length says so).
    public var maxBodyBytes: Int = 1 << 20
    /// Memory for one connection's request line and headers; larger headers are refused by libmicrohttpd (431).
    public var maxHeaderBytes: Int = 32 << 10
    /// Open connections at most; more are refused at accept.
    public var maxConnections: Int = 1024
    /// Open connections from one IP address at most (0: no limit).
    public var maxConnectionsPerIP: Int = 0
    /// A connection idle this long (a stalled or slow-dripping client included) is closed.
    public var connectionTimeoutSeconds: Int = 30
    public var listenBacklog: Int = 511

    public init() {}
}
