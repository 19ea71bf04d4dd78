import Foundation
import RenumManifest
import RenumRegistry
import RenumRuntime
import RenumStorage

/// Puts registry versions into service on the in-process plugin runtime.
///
/// Until worker processes exist, only versions whose manifest asks for `inprocess` isolation
/// are loaded; a `process` version is refused rather than silently run inside the host.
struct RuntimeAgentServing: AgentServing {
    let runtime: AgentRuntime

    func load(_ version: AgentVersionRecord, manifest: PluginManifest) async throws(RegistryRefusal) {
        if runtime.loadedVersions(agentID: manifest.agentID).contains(manifest.version) { return }
        guard manifest.policy.isolation == .inprocess else {
            throw RegistryRefusal(code: "PROCESS_ISOLATION_UNAVAILABLE",
                                  message: "\(manifest.agentID) \(manifest.version) asks for process isolation, which this host does not offer yet; it is not loaded in process instead")
        }
        guard let path = version.artifactPath, let digest = version.artifactSHA256 else {
            throw RegistryRefusal(code: "ARTIFACT_REQUIRED", message: "\(manifest.agentID) \(manifest.version) has no accepted artifact")
        }
        do {
            try runtime.load(manifest: manifest, artifactPath: path, sha256: digest)
        } catch where error.code == "VERSION_EXISTS" {
            return
        } catch {
            throw RegistryRefusal(code: error.code, message: error.message)
        }
    }

    func activate(agentID: String, version: String) async throws(RegistryRefusal) {
        guard let parsed = SemanticVersion(version) else {
            throw RegistryRefusal(code: "VERSION_NOT_FOUND", message: "'\(version)' is not a version")
        }
        do {
            _ = try runtime.activate(agentID: agentID, version: parsed)
        } catch {
            throw RegistryRefusal(code: error.code, message: error.message)
        }
    }

    func retire(agentID: String, version: String) async {
        guard let parsed = SemanticVersion(version) else { return }
        try? await runtime.retire(agentID: agentID, version: parsed)
    }
}
