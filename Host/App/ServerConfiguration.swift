import Foundation
import RenumHTTP
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
