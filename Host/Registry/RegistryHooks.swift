import Foundation
import RenumManifest
import RenumStorage

/// A refusal from the runtime or the artifact inspector: a stable code and a safe message.
public struct RegistryRefusal: Error, Sendable, Equatable {
    public let code: String
    public let message: String
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}

/// How the registry puts versions into (and out of) service. App implements it over the
/// plugin runtime; the registry decides *what* should serve, the runtime *how*.
///
/// Implementations must be idempotent: `load` of an already loaded version succeeds.
public protocol AgentServing: Sendable {
    /// Loads (and warms) a version so it can serve; throws when its artifact is refused.
    func load(_ version: AgentVersionRecord, manifest: PluginManifest) async throws(RegistryRefusal)
    /// Makes a loaded version the agent's active one (hot-swap: calls in flight finish on the old one).
    func activate(agentID: String, version: String) async throws(RegistryRefusal)
    /// Takes a version out of service: no new calls; calls in flight finish.
    func retire(agentID: String, version: String) async
}

/// Checks an uploaded artifact away from the host process (a throwaway worker), before it
/// is accepted: that it is a shared library of a compatible ABI whose embedded manifest
/// equals the registered one.
public protocol ArtifactInspector: Sendable {
    func inspect(artifactPath: String, sha256: String, manifest: PluginManifest) async throws(RegistryRefusal)
}
