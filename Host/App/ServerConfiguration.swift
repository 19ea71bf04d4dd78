import Foundation
import RenumHTTP
import RenumIntegrations
import RenumObservability
import RenumStorage

/// Everything `renum serve` needs, read from the environment and flags.
public struct ServerConfiguration: Sendable {
    public var http = HTTPServerConfiguration()
    public var dataDirectory = "./data"
    public var jwtSecret: [UInt8] = []
    public var jwtAudience = "authenticated"
    public var corsOrigins: [String] = []
    public var logLevel: LogLevel = .info
    public var sqliteSynchronous: SQLiteConfiguration.Synchronous = .full
    public var shutdownGraceSeconds: Double = 10
    /// The environment the master key is read from (`RENUM_MASTER_KEY`); tests set their own.
    public var environment: [String: String] = [:]
    /// Where bundled agents' manifests are (`manifests/` of the checkout by default); nil: none found.
    public var manifestDirectory: String? = BundledAgents.defaultManifestDirectory()
    /// Where bundled plugins' libraries are (`lib<agent_id>.so`; beside the renum executable by default).
    public var pluginDirectory: String = BundledAgents.executableDirectory()
    /// The renum executable, run as `renum plugin validate` to inspect uploads away from the server.
    public var executablePath: String = BundledAgents.executablePath()
    /// Plugins may reach loopback and private addresses (never cloud metadata): off by default.
    public var egressAllowPrivateNetwork = false
    /// Largest response body a plugin's HTTP request may receive.
    public var egressMaxResponseBytes = 5 << 20
    /// Agents an operator allows to run inside the host when their manifest asks for
    /// `inprocess` (first-party agents always may); every other version runs in a worker.
    public var inProcessAgents: Set<String> = []
    /// Webhook ingestion and job workers (RENUM_PUBLIC_URL, worker counts, retries…).
    public var integrations = IntegrationsConfiguration.fromEnvironment()
    /// Largest plugin artifact an admin may upload.
    public var maxArtifactBytes = 64 << 20

    /// HS256 keys shorter than the hash output weaken the signature; Supabase's are longer.
    public static let minimumSecretBytes = 32

    public init() {}

    /// The SQLite database file inside the data directory.
    public var databasePath: String { dataDirectory + "/renum.sqlite3" }
}

/// A configuration value that could not be used; the message says which and why.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
