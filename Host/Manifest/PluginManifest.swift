import Foundation
import RenumCore
import RenumJSONSchema

/// A plugin version's manifest, parsed strictly (see `PluginManifest.parse`) and immutable.
public struct PluginManifest: Sendable {
    /// Stable agent identifier (`^[a-z0-9][a-z0-9_.-]{1,63}$`).
    public let agentID: String
    /// This version.
    public let version: SemanticVersion
    /// Display name.
    public let name: String
    /// What the agent does.
    public let description: String
    /// What it can do, in manifest order (names unique).
    public let capabilities: [Capability]
    /// Service types whose credentials the plugin may ask for.
    public let requiredCredentials: [String]
    /// How it runs.
    public let policy: Policy
    /// Price of one call before units (≥ 0).
    public let costPerExecution: Double
    /// Price per metered unit (each ≥ 0).
    public let unitPrices: [String: Double]
    /// The manifest as parsed (the source of `canonicalJSON`).
    public let json: JSONValue

    /// One capability with its compiled schemas.
    public struct Capability: Sendable {
        /// Name, 1–128 of A-Za-z0-9_.-.
        public let name: String
        /// What it does.
        public let description: String
        /// The input schema as written.
        public let inputSchemaJSON: JSONValue
        /// The output schema as written.
        public let outputSchemaJSON: JSONValue
        /// The input schema, compiled.
        public let inputSchema: JSONSchema
        /// The output schema, compiled.
        public let outputSchema: JSONSchema
        /// MCP-style hints, when given.
        public let annotations: Annotations?
    }

    /// MCP-style tool hints; nil members were not stated.
    public struct Annotations: Sendable, Equatable {
        /// Does not change anything.
        public let readOnly: Bool?
        /// May destroy or overwrite data.
        public let destructive: Bool?
        /// Repeating a call has no further effect.
        public let idempotent: Bool?
        /// Reaches outside systems.
        public let openWorld: Bool?
    }

    /// Where a plugin version runs.
    public enum Isolation: String, Sendable {
        /// A worker process per version (the default).
        case process
        /// dlopen'ed into the host.
        case inprocess
    }

    /// The manifest's `policy`, defaults filled in.
    public struct Policy: Sendable, Equatable {
        /// Isolation mode (default process).
        public let isolation: Isolation
        /// Per-call deadline, 1…300000 ms (default 30000).
        public let timeoutMilliseconds: Int
        /// Memory cap of a worker, 16…16384 MiB (default 256).
        public let maxMemoryMegabytes: Int
        /// Calls running at once per version, 1…1024 (default 8).
        public let maxConcurrency: Int
        /// Egress allow-list: exact hosts or `*.domain`.
        public let allowedHosts: [String]
        /// Calls per minute (default 600).
        public let rateLimitPerMinute: Int

        /// A policy; the defaults are the manifest's.
        public init(isolation: Isolation = .process, timeoutMilliseconds: Int = 30_000, maxMemoryMegabytes: Int = 256,
                    maxConcurrency: Int = 8, allowedHosts: [String] = [], rateLimitPerMinute: Int = 600) {
            self.isolation = isolation
            self.timeoutMilliseconds = timeoutMilliseconds
            self.maxMemoryMegabytes = maxMemoryMegabytes
            self.maxConcurrency = maxConcurrency
            self.allowedHosts = allowedHosts
            self.rateLimitPerMinute = rateLimitPerMinute
        }

        /// Whether egress to `host` is allowed: an exact (case-insensitive) match, or a
        /// `*.domain` pattern matching any subdomain of domain (not domain itself).
        public func allows(host: String) -> Bool {
            let host = host.lowercased()
            return allowedHosts.contains { pattern in
                let pattern = pattern.lowercased()
                // "*": any host name, but never an IP literal (the egress client applies the same rule).
                if pattern == "*" { return !host.isEmpty && host.rangeOfCharacter(from: CharacterSet.letters) != nil && !host.contains(":") }
                if pattern.hasPrefix("*.") { return host.hasSuffix(pattern.dropFirst(1)) && host.count > pattern.count - 1 }
                return pattern == host
            }
        }
    }

    /// The capability named `name`, if declared.
    public func capability(named name: String) -> Capability? {
        capabilities.first { $0.name == name }
    }

    /// The price of one call: `cost_per_execution + Σ quantity(unit) × unit_prices[unit]`;
    /// units without a price cost nothing.
    public func cost(units: [String: Double]) -> Double {
        var total = costPerExecution
        for (unit, quantity) in units { total += quantity * (unitPrices[unit] ?? 0) }
        return total
    }
}

/// One problem in a manifest, at the JSON Pointer of the offending value.
public struct ManifestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// JSON Pointer of the offender, e.g. "/policy/colour" ("" for the whole document).
    public let pointer: String
    /// What is wrong.
    public let message: String

    /// Creates an error at `pointer`.
    public init(pointer: String, message: String) {
        self.pointer = pointer
        self.message = message
    }

    /// "<pointer>: <message>".
    public var description: String { "\(pointer.isEmpty ? "(root)" : pointer): \(message)" }
}

/// Every problem found in a manifest (never empty).
public struct ManifestErrors: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems, in document order of discovery.
    public let errors: [ManifestError]

    /// Wraps a list of problems.
    public init(_ errors: [ManifestError]) { self.errors = errors }

    /// One problem per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
