import Foundation
import RenumManifest
import RenumRegistry
import RenumRuntime
import RenumSandbox
import RenumStorage

/// Puts registry versions into service, in the host or in a sandboxed worker process, and
/// calls them there.
///
/// In process only when the manifest asks for `inprocess` AND the version is first-party
/// (bundled with renum) or the operator listed the agent in `RENUM_INPROCESS_AGENTS`.
/// Everything else, whatever its manifest says, runs in a worker: a plugin cannot opt
/// itself out of the sandbox.
struct RuntimeAgentServing: AgentServing {
    let runtime: AgentRuntime
    let workers: WorkerAgents
    let inProcessAllowed: Set<String>

    func runsInProcess(_ record: AgentVersionRecord, _ manifest: PluginManifest) -> Bool {
        manifest.policy.isolation == .inprocess && (record.firstParty || inProcessAllowed.contains(manifest.agentID))
    }

    func load(_ version: AgentVersionRecord, manifest: PluginManifest) async throws(RegistryRefusal) {
        guard let path = version.artifactPath, let digest = version.artifactSHA256 else {
            throw RegistryRefusal(code: "ARTIFACT_REQUIRED", message: "\(manifest.agentID) \(manifest.version) has no accepted artifact")
        }
        if runsInProcess(version, manifest) {
            if runtime.loadedVersions(agentID: manifest.agentID).contains(manifest.version) { return }
            do {
                try runtime.load(manifest: manifest, artifactPath: path, sha256: digest)
            } catch where error.code == "VERSION_EXISTS" {
                return
            } catch {
                throw RegistryRefusal(code: error.code, message: error.message)
            }
        } else {
            do {
                try await workers.load(manifest: manifest, artifactPath: path, sha256: digest)
            } catch {
                throw RegistryRefusal(code: error.code, message: error.message)
            }
        }
    }

    func activate(agentID: String, version: String) async throws(RegistryRefusal) {
        guard let parsed = SemanticVersion(version) else {
            throw RegistryRefusal(code: "VERSION_NOT_FOUND", message: "'\(version)' is not a version")
        }
        do {
            if runtime.loadedVersions(agentID: agentID).contains(parsed) {
                try runtime.activate(agentID: agentID, version: parsed)
            } else if let previous = try workers.activate(agentID: agentID, version: parsed), previous != parsed {
                // Process mode truly unloads: the old worker drains its calls, then exits.
                Task { await workers.retire(agentID: agentID, version: previous) }
            }
        } catch {
            throw RegistryRefusal(code: error.code, message: error.message)
        }
    }

    func retire(agentID: String, version: String) async {
        guard let parsed = SemanticVersion(version) else { return }
        if runtime.loadedVersions(agentID: agentID).contains(parsed) {
            try? await runtime.retire(agentID: agentID, version: parsed)
        } else {
            await workers.retire(agentID: agentID, version: parsed)
        }
    }

    /// Calls the version where it runs.
    func invoke(_ record: AgentVersionRecord, manifest: PluginManifest, capability: String, input: [UInt8],
                caller: CallerContext) async -> InvocationResult {
        if runsInProcess(record, manifest) {
            return await runtime.invoke(agentID: manifest.agentID, version: manifest.version, capability: capability,
                                        input: input, caller: caller)
        }
        return await workers.invoke(agentID: manifest.agentID, version: manifest.version, capability: capability,
                                    input: input, caller: caller)
    }
}
