import Synchronization
import RenumManifest
import RenumObservability

/// The in-process plugin runtime: loaded versions per agent, one active version each,
/// atomic hot-swap, drained retirement, and timed, concurrency-limited invocation.
///
/// Calls run on dedicated plugin threads (never on Swift's cooperative pool); the awaiting
/// task gets PLUGIN_TIMEOUT at the manifest's policy.timeout_ms. Versions are immutable and
/// never unloaded (a retired version is shut down and left mapped). The runtime runs every
/// version in process: routing `isolation: process` manifests to workers is the caller's job.
public final class AgentRuntime: Sendable {
    struct Agent {
        var active: SemanticVersion?
        var versions: [SemanticVersion: PluginVersion] = [:]
    }

    let loader: PluginLoader
    let logger: Logger
    let observers: [any InvocationObserver]
    let pool: PluginThreadPool
    let agents = Mutex<[String: Agent]>([:])

    /// A runtime whose plugins reach the world through `services`.
    /// - observers: told about every finished invocation (records, metrics).
    /// - maximumThreads: cap on plugin threads (calls beyond it wait for a thread).
    public init(services: any HostServices, logger: Logger, observers: [any InvocationObserver] = [], maximumThreads: Int = 512) {
        self.loader = PluginLoader(services: services, logger: logger)
        self.logger = logger
        self.observers = observers
        self.pool = PluginThreadPool(maximumThreads: maximumThreads)
    }

    /// Loads (checks, dlopens, initialises) a version without activating it. Blocks while
    /// the plugin's on_init runs. VERSION_EXISTS when this agent_id + version is loaded.
    public func load(manifest: PluginManifest, artifactPath: String, sha256: String, config: [UInt8] = Array("{}".utf8)) throws(LoadError) {
        let exists = agents.withLock { $0[manifest.agentID]?.versions[manifest.version] != nil }
        guard !exists else {
            throw LoadError(code: "VERSION_EXISTS", message: "\(manifest.agentID) \(manifest.version) is already loaded")
        }
        let plugin = try loader.load(artifactPath: artifactPath, sha256: sha256, manifest: manifest, config: config)
        let version = PluginVersion(plugin)
        let inserted = agents.withLock { agents -> Bool in
            guard agents[manifest.agentID]?.versions[manifest.version] == nil else { return false }
            agents[manifest.agentID, default: Agent()].versions[manifest.version] = version
            return true
        }
        guard inserted else {
            plugin.shutdown()
            throw LoadError(code: "VERSION_EXISTS", message: "\(manifest.agentID) \(manifest.version) is already loaded")
        }
    }

    /// Makes a loaded version the agent's active one, atomically: calls already admitted
    /// finish on the version they began on, new calls get this one. Rolling back is
    /// activating the previous version. Returns the version that was active before.
    @discardableResult
    public func activate(agentID: String, version: SemanticVersion) throws(RuntimeError) -> SemanticVersion? {
        let result: Result<SemanticVersion?, RuntimeError> = agents.withLock { agents in
            guard var agent = agents[agentID] else {
                return .failure(RuntimeError(code: "AGENT_NOT_FOUND", message: "no agent '\(agentID)' is loaded"))
            }
            guard agent.versions[version] != nil else {
                return .failure(RuntimeError(code: "VERSION_NOT_FOUND", message: "\(agentID) \(version) is not loaded"))
            }
            let previous = agent.active
            agent.active = version
            agents[agentID] = agent
            return .success(previous)
        }
        let previous = try result.get()
        logger.info("agent version activated", ["agent_id": agentID, "version": version.description,
                                                "previous": previous?.description ?? "none"])
        return previous
    }

    /// Retires a loaded, inactive version: refuses new calls to it, waits until every call
    /// in flight on it has returned (timed-out ones included), then calls on_shutdown. The
    /// image stays mapped. VERSION_ACTIVE when it is the active version (activate another first).
    public func retire(agentID: String, version: SemanticVersion) async throws(RuntimeError) {
        let result: Result<PluginVersion, RuntimeError> = agents.withLock { agents in
            guard let agent = agents[agentID], let loaded = agent.versions[version] else {
                return .failure(RuntimeError(code: "VERSION_NOT_FOUND", message: "\(agentID) \(version) is not loaded"))
            }
            guard agent.active != version else {
                return .failure(RuntimeError(code: "VERSION_ACTIVE", message: "\(agentID) \(version) is active; activate another version first"))
            }
            agents[agentID]?.versions[version] = nil
            return .success(loaded)
        }
        let retiring = try result.get()
        var inFlight = retiring.gate.retire()
        while inFlight > 0 {
            try? await Task.sleep(for: .milliseconds(2))
            inFlight = retiring.gate.inFlight
        }
        retiring.plugin.shutdown()
        logger.info("agent version retired", ["agent_id": agentID, "version": version.description])
    }

    /// The agent's active version.
    public func activeVersion(agentID: String) -> SemanticVersion? {
        agents.withLock { $0[agentID]?.active }
    }

    /// The agent's loaded (not retired) versions, lowest first.
    public func loadedVersions(agentID: String) -> [SemanticVersion] {
        agents.withLock { $0[agentID].map { Array($0.versions.keys) } ?? [] }.sorted()
    }

    /// The manifest of a loaded version (the active one when `version` is nil).
    public func manifest(agentID: String, version: SemanticVersion? = nil) -> PluginManifest? {
        agents.withLock { agents in
            guard let agent = agents[agentID], let chosen = version ?? agent.active else { return nil }
            return agent.versions[chosen]?.plugin.manifest
        }
    }

    /// Finds the version a call goes to, or the refusal (AGENT_NOT_FOUND, VERSION_NOT_FOUND).
    func resolve(agentID: String, version: SemanticVersion?) -> Result<PluginVersion, RuntimeError> {
        agents.withLock { agents in
            guard let agent = agents[agentID] else {
                return .failure(RuntimeError(code: "AGENT_NOT_FOUND", message: "no agent '\(agentID)'"))
            }
            guard let chosen = version ?? agent.active else {
                return .failure(RuntimeError(code: "VERSION_NOT_FOUND", message: "\(agentID) has no active version"))
            }
            guard let loaded = agent.versions[chosen] else {
                return .failure(RuntimeError(code: "VERSION_NOT_FOUND", message: "\(agentID) has no version \(chosen)"))
            }
            return .success(loaded)
        }
    }
}

/// One loaded version and its admission gate.
final class PluginVersion: Sendable {
    let plugin: LoadedPlugin
    let gate: VersionGate

    init(_ plugin: LoadedPlugin) {
        self.plugin = plugin
        let limit = plugin.manifest.policy.maxConcurrency
        self.gate = VersionGate(maxConcurrency: limit, queueLimit: 2 * limit)
    }
}
