import Foundation
import RenumObservability
import RenumStorage

/// The options of `renum serve` and how they become a `ServerConfiguration`.
enum ServeOptions {
    static let specs: [OptionSpec] = [
        OptionSpec(flag: "port", environment: "RENUM_PORT", valueName: "PORT", defaultText: "8080", help: "TCP port to listen on (0 picks a free one)"),
        OptionSpec(flag: "bind", environment: "RENUM_BIND", valueName: "ADDRESS", defaultText: "127.0.0.1", help: "IP address to listen on"),
        OptionSpec(flag: "data-dir", environment: "RENUM_DATA_DIR", valueName: "DIR", defaultText: "./data", help: "where the database and keys live"),
        OptionSpec(flag: "jwt-audience", environment: "RENUM_JWT_AUDIENCE", valueName: "AUD", defaultText: "authenticated", help: "required JWT aud claim"),
        OptionSpec(flag: "cors-origins", environment: "RENUM_CORS_ORIGINS", valueName: "LIST", defaultText: "off", help: "comma-separated origins allowed cross-origin, or *"),
        OptionSpec(flag: "log-level", environment: "RENUM_LOG_LEVEL", valueName: "LEVEL", defaultText: "info", help: "debug, info, warning or error"),
        OptionSpec(flag: "threads", environment: "RENUM_HTTP_THREADS", valueName: "N", defaultText: "2", help: "HTTP threads (each an epoll loop)"),
        OptionSpec(flag: "max-body-bytes", environment: "RENUM_MAX_BODY_BYTES", valueName: "BYTES", defaultText: "1048576", help: "largest request body; larger is 413"),
        OptionSpec(flag: "max-header-bytes", environment: "RENUM_MAX_HEADER_BYTES", valueName: "BYTES", defaultText: "32768", help: "memory for a request's line and headers"),
        OptionSpec(flag: "max-connections", environment: "RENUM_MAX_CONNECTIONS", valueName: "N", defaultText: "1024", help: "open connections at most"),
        OptionSpec(flag: "max-connections-per-ip", environment: "RENUM_MAX_CONNECTIONS_PER_IP", valueName: "N", defaultText: "0 (no limit)", help: "open connections from one address at most"),
        OptionSpec(flag: "connection-timeout", environment: "RENUM_CONNECTION_TIMEOUT_SECONDS", valueName: "SECONDS", defaultText: "30", help: "close a connection idle (or dripping) this long"),
        OptionSpec(flag: "sqlite-synchronous", environment: "RENUM_SQLITE_SYNCHRONOUS", valueName: "MODE", defaultText: "full", help: "full (fsync each commit) or normal (survives a crash of renum, not of the machine)"),
        OptionSpec(flag: "manifest-dir", environment: "RENUM_MANIFEST_DIR", valueName: "DIR", defaultText: "manifests/ of the checkout", help: "bundled agents' manifests"),
        OptionSpec(flag: "plugin-dir", environment: "RENUM_PLUGIN_DIR", valueName: "DIR", defaultText: "beside the renum executable", help: "bundled agents' lib<agent_id>.so"),
        OptionSpec(flag: "egress-allow-private-network", environment: "RENUM_EGRESS_ALLOW_PRIVATE_NETWORK", valueName: "BOOL", defaultText: "false", help: "let plugins reach loopback and private addresses (never cloud metadata)"),
        OptionSpec(flag: "inprocess-agents", environment: "RENUM_INPROCESS_AGENTS", valueName: "LIST", defaultText: "none", help: "agent ids allowed to run inside the host (besides bundled ones) when their manifest asks"),
        OptionSpec(flag: "max-artifact-bytes", environment: "RENUM_MAX_ARTIFACT_BYTES", valueName: "BYTES", defaultText: "67108864", help: "largest plugin upload"),
        OptionSpec(flag: "shutdown-grace", environment: "RENUM_SHUTDOWN_GRACE_SECONDS", valueName: "SECONDS", defaultText: "10", help: "how long SIGTERM waits for requests in flight"),
    ]

    /// `RENUM_JWT_SECRET` is read from the environment only: a flag would show in `ps`.
    static let secretVariable = "RENUM_JWT_SECRET"

    static func configuration(arguments: [String], environment: [String: String]) throws(ConfigurationError) -> ServerConfiguration {
        let options = try ParsedOptions(arguments: arguments, specs: specs, environment: environment)
        var config = ServerConfiguration()
        config.environment = environment
        config.jwtSecret = try jwtSecret(environment)
        if let port = try options.int("port", in: 0...65535) { config.http.port = port }
        if let bind = options.string("bind") { config.http.host = bind }
        if let dir = options.string("data-dir") { config.dataDirectory = dir }
        if let audience = options.string("jwt-audience") { config.jwtAudience = audience }
        if let origins = options.string("cors-origins"), origins != "off" {
            config.corsOrigins = origins.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if let level = options.string("log-level") {
            guard let parsed = LogLevel(name: level) else { throw ConfigurationError("--log-level must be debug, info, warning or error, got '\(level)'") }
            config.logLevel = parsed
        }
        if let threads = try options.int("threads", in: 1...256) { config.http.threads = threads }
        if let bytes = try options.int("max-body-bytes", in: 1...(1 << 30)) { config.http.maxBodyBytes = bytes }
        if let bytes = try options.int("max-header-bytes", in: 4096...(1 << 20)) { config.http.maxHeaderBytes = bytes }
        if let count = try options.int("max-connections", in: 1...100_000) { config.http.maxConnections = count }
        if let count = try options.int("max-connections-per-ip", in: 0...100_000) { config.http.maxConnectionsPerIP = count }
        if let seconds = try options.int("connection-timeout", in: 1...3600) { config.http.connectionTimeoutSeconds = seconds }
        if let grace = try options.int("shutdown-grace", in: 0...3600) { config.shutdownGraceSeconds = Double(grace) }
        if let dir = options.string("manifest-dir") { config.manifestDirectory = dir }
        if let dir = options.string("plugin-dir") { config.pluginDirectory = dir }
        if let list = options.string("inprocess-agents"), list != "none" {
            config.inProcessAgents = Set(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        if let bytes = try options.int("max-artifact-bytes", in: 1...(1 << 30)) { config.maxArtifactBytes = bytes }
        if let flag = options.string("egress-allow-private-network") {
            guard let value = ["true": true, "1": true, "false": false, "0": false][flag.lowercased()] else {
                throw ConfigurationError("--egress-allow-private-network must be true or false, got '\(flag)'")
            }
            config.egressAllowPrivateNetwork = value
        }
        if let mode = options.string("sqlite-synchronous") {
            guard let parsed = SQLiteConfiguration.Synchronous(rawValue: mode.lowercased()) else {
                throw ConfigurationError("--sqlite-synchronous must be full or normal, got '\(mode)'")
            }
            config.sqliteSynchronous = parsed
        }
        return config
    }

    static func jwtSecret(_ environment: [String: String]) throws(ConfigurationError) -> [UInt8] {
        guard let secret = environment[secretVariable], !secret.isEmpty else {
            throw ConfigurationError("\(secretVariable) is not set. Set it to your Supabase project's JWT secret (or any random string of at least \(ServerConfiguration.minimumSecretBytes) bytes for local use), e.g. export \(secretVariable)=$(openssl rand -hex 32)")
        }
        guard secret.utf8.count >= ServerConfiguration.minimumSecretBytes else {
            throw ConfigurationError("\(secretVariable) is too short: HS256 needs at least \(ServerConfiguration.minimumSecretBytes) bytes")
        }
        return Array(secret.utf8)
    }
}
