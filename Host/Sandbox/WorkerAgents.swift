import Foundation
import RenumManifest
import RenumObservability
import RenumRuntime
import Synchronization

/// Process-isolated agent versions: one `PluginWorker` per loaded version, an active pointer
/// per agent, and hot-swap that really unloads (the old worker drains, then exits).
///
/// The counterpart of `AgentRuntime` for `policy.isolation == "process"`; the worker enforces
/// the timeout and concurrency limits itself, so no thread pool or timer is added here.
public final class WorkerAgents: Sendable {
    /// A loaded version: its worker and how many calls hold it right now.
    final class Slot: Sendable {
        let worker: PluginWorker
        let inFlight = Atomic<Int>(0)
        init(worker: PluginWorker) { self.worker = worker }
    }

    struct Agent: Sendable {
        var active: SemanticVersion?
        var versions: [SemanticVersion: Slot] = [:]
    }

    private let agents = Mutex<[String: Agent]>([:])
    private let services: any HostServices
    private let options: WorkerOptions
    private let observers: [any InvocationObserver]
    private let logger: Logger

    public init(services: any HostServices, options: WorkerOptions, observers: [any InvocationObserver] = [], logger: Logger) {
        self.services = services
        self.options = options
        self.observers = observers
        self.logger = logger
    }

    public func isLoaded(agentID: String, version: SemanticVersion) -> Bool {
        agents.withLock { $0[agentID]?.versions[version] != nil }
    }

    /// The process id of the worker serving a version, if one does.
    public func processID(agentID: String, version: SemanticVersion) -> Int32? {
        agents.withLock { $0[agentID]?.versions[version]?.worker.processID }
    }

    /// Starts a worker for the version (idempotent: an already loaded version is kept).
    public func load(manifest: PluginManifest, artifactPath: String, sha256: String) async throws(LoadError) {
        if isLoaded(agentID: manifest.agentID, version: manifest.version) { return }
        let worker = try await PluginWorker.start(manifest: manifest, artifactPath: artifactPath, sha256: sha256,
                                                  services: services, options: options)
        let kept = agents.withLock { agents -> Bool in
            if agents[manifest.agentID]?.versions[manifest.version] != nil { return false }
            agents[manifest.agentID, default: Agent()].versions[manifest.version] = Slot(worker: worker)
            return true
        }
        if !kept { await worker.stop() }   // another load won the race
        logger.info("agent version loaded in a worker", ["agent_id": manifest.agentID, "version": manifest.version.description,
                                                         "pid": worker.processID.map(String.init) ?? "-"])
    }

    /// Makes a loaded version active; returns the previous active version.
    @discardableResult
    public func activate(agentID: String, version: SemanticVersion) throws(RuntimeError) -> SemanticVersion? {
        let result: Result<SemanticVersion?, RuntimeError> = agents.withLock { agents in
            guard agents[agentID]?.versions[version] != nil else {
                return .failure(RuntimeError(code: "VERSION_NOT_FOUND", message: "\(agentID) \(version) has no worker"))
            }
            let previous = agents[agentID]?.active
            agents[agentID]?.active = version
            return .success(previous)
        }
        return try result.get()
    }

    /// Takes a version out of service: no new calls reach it; once its calls in flight have
    /// finished, its worker stops (on_shutdown, then the process exits).
    public func retire(agentID: String, version: SemanticVersion) async {
        let slot: Slot? = agents.withLock { agents in
            guard let slot = agents[agentID]?.versions[version] else { return nil }
            agents[agentID]?.versions[version] = nil
            if agents[agentID]?.active == version { agents[agentID]?.active = nil }
            return slot
        }
        guard let slot else { return }
        while slot.inFlight.load(ordering: .acquiring) > 0 { try? await Task.sleep(for: .milliseconds(2)) }
        await slot.worker.stop()
        logger.info("agent version's worker stopped", ["agent_id": agentID, "version": version.description])
    }

    /// Calls a capability of `version` (or the active version) in its worker.
    public func invoke(agentID: String, version: SemanticVersion?, capability: String, input: [UInt8],
                       caller: CallerContext) async -> InvocationResult {
        let picked: (Slot, SemanticVersion)? = agents.withLock { agents in
            guard let agent = agents[agentID], let chosen = version ?? agent.active, let slot = agent.versions[chosen] else { return nil }
            // Counted under the table's lock, so retire() never misses a call that found the slot.
            slot.inFlight.add(1, ordering: .relaxed)
            return (slot, chosen)
        }
        guard let (slot, chosen) = picked else {
            let result = InvocationResult(outcome: .failure(code: version == nil ? "AGENT_NOT_FOUND" : "VERSION_NOT_FOUND",
                                                            message: "no worker serves \(agentID) \(version?.description ?? "")", details: nil))
            notify(agentID: agentID, version: nil, capability: capability, caller: caller, result)
            return result
        }
        let call = CallInfo(agentID: agentID, version: chosen, capability: capability, userID: caller.userID,
                            requestID: caller.requestID, manifest: slot.worker.manifest)
        let answer = await slot.worker.invoke(capability: capability, input: input, call: call)
        slot.inFlight.subtract(1, ordering: .releasing)
        var metering = answer.result.metering
        metering.peakMemoryBytes = answer.peakMemoryBytes
        let result = InvocationResult(outcome: answer.result.outcome, metering: metering, version: answer.result.version)
        notify(agentID: agentID, version: chosen, capability: capability, caller: caller, result)
        return result
    }

    /// Stops every worker (server shutdown).
    public func stopAll() async {
        let workers = agents.withLock { agents -> [PluginWorker] in
            defer { agents = [:] }
            return agents.values.flatMap { $0.versions.values.map { $0.worker } }
        }
        for worker in workers { await worker.stop() }
    }

    private func notify(agentID: String, version: SemanticVersion?, capability: String, caller: CallerContext, _ result: InvocationResult) {
        let record = InvocationRecord(agentID: agentID, version: version, capability: capability, userID: caller.userID,
                                      requestID: caller.requestID, outcomeCode: result.outcome.code, metering: result.metering)
        for observer in observers { observer.invocationFinished(record) }
    }
}
