import Dispatch
import Synchronization
import RenumCore
import RenumManifest
import RenumRuntime

/// One plugin version in process mode: a sandboxed `renum worker` that loads it, kept
/// running (replaced when it dies), with bounded concurrency and host-side deadlines.
///
/// Calls in flight when the worker dies all fail (the one past its deadline with
/// PLUGIN_TIMEOUT, the others with the code of the death, see `WorkerExit`); they are not
/// retried, since a call may have had effects (egress) before the worker died.
public final class PluginWorker: Sendable {
    /// The registry's manifest of the version this worker serves.
    public let manifest: PluginManifest
    let artifactPath: String
    let sha256: String
    let config: [UInt8]
    let services: any HostServices
    let options: WorkerOptions
    let manifestJSON: [UInt8]
    let gate: AdmissionGate

    struct State: Sendable {
        var current: WorkerProcess?
        var replacing = false
        var waiters: [CheckedContinuation<WorkerProcess?, Never>] = []
        var stopped = false
        var restarts = 0
        var lastStartError: LoadError?
    }

    let state = Mutex(State())

    private init(manifest: PluginManifest, artifactPath: String, sha256: String, config: [UInt8], services: any HostServices, options: WorkerOptions) {
        self.manifest = manifest
        self.artifactPath = artifactPath
        self.sha256 = sha256
        self.config = config
        self.services = services
        self.options = options
        var writer = JSONWriter()
        writer.value(manifest.json)
        manifestJSON = writer.bytes
        // The worker runs at most SandboxPolicy's thread count (max_concurrency capped at 64) at once.
        gate = AdmissionGate(limit: min(max(manifest.policy.maxConcurrency, 1), 64), queueLimit: options.queueLimit)
    }

    /// Starts a worker for the artifact and waits until it has loaded the plugin (digest
    /// checked in the worker); throws the worker's `LoadError` when it refused.
    public static func start(manifest: PluginManifest, artifactPath: String, sha256: String, config: [UInt8] = Array("{}".utf8),
                             services: any HostServices, options: WorkerOptions) async throws(LoadError) -> PluginWorker {
        let worker = PluginWorker(manifest: manifest, artifactPath: artifactPath, sha256: sha256, config: config,
                                  services: services, options: options)
        let started: Result<WorkerProcess, LoadError> = await offload { worker.spawn() }
        let process = try started.get()
        worker.state.withLock { $0.current = process }
        return worker
    }

    /// Runs `capability` in the worker. Never throws: refusals, deadlines and deaths are
    /// failure outcomes (CONCURRENCY_LIMIT, PLUGIN_TIMEOUT, PLUGIN_CRASHED, PLUGIN_MEMORY_LIMIT,
    /// POLICY_DENIED, WORKER_STOPPED, and the runtime's own codes from inside the worker).
    public func invoke(capability: String, input: [UInt8], call: CallInfo) async -> WorkerInvocationResult {
        let start = Monotonic.now()
        guard await gate.enter() else {
            return failure("CONCURRENCY_LIMIT", "\(manifest.agentID) \(manifest.version) is at policy.max_concurrency (\(manifest.policy.maxConcurrency)) with a full queue")
        }
        defer { gate.leave() }
        var answer = WorkerProcess.failure(WorkerProcess.goneCode, "")
        // A call that found its worker already dead (it never ran) goes to the replacement, once.
        for _ in 0..<2 where answer.outcome.code == WorkerProcess.goneCode {
            guard let process = await currentProcess() else {
                let (stopped, error) = state.withLock { ($0.stopped, $0.lastStartError) }
                return stopped ? failure("WORKER_STOPPED", "\(manifest.agentID) \(manifest.version) has been stopped")
                    : failure("PLUGIN_CRASHED", "the plugin's worker could not be restarted: \(error?.description ?? "unknown")")
            }
            answer = await process.invoke(capability: capability, input: input, call: call)
        }
        if answer.outcome.code == WorkerProcess.goneCode {
            answer = WorkerProcess.failure("PLUGIN_CRASHED", "the plugin's worker died twice before the call could start")
        }
        var metering = answer.metering
        metering.wallNanoseconds = Monotonic.now() &- start
        return WorkerInvocationResult(result: InvocationResult(outcome: answer.outcome, metering: metering, version: manifest.version),
                                      peakMemoryBytes: answer.peakMemoryBytes)
    }

    /// Stops serving: calls in flight finish (up to `options.stopGrace`), the plugin's
    /// on_shutdown runs, the worker exits and is reaped, its directory removed. New calls
    /// get WORKER_STOPPED.
    public func stop() async {
        let process: WorkerProcess? = state.withLock { state in
            state.stopped = true
            defer { state.current = nil }
            return state.current
        }
        guard let process else { return }
        let grace = options.stopGrace
        await offload { process.stop(grace: grace) }
    }

    /// The current worker's pid (nil while none runs).
    public var processID: Int32? { state.withLock { $0.current?.pid } }

    /// How many times the worker has been replaced.
    public var restarts: Int { state.withLock { $0.restarts } }

    /// The current worker's sandbox as it reported it.
    public var sandbox: WorkerSandboxReport? {
        state.withLock { state in
            state.current.map {
                WorkerSandboxReport(processID: $0.pid, networkNamespace: $0.ready.networkNamespace, addressSpaceLimitBytes: $0.ready.addressSpaceLimit,
                                    restingPeakBytes: $0.ready.restingPeakBytes, restingAddressSpaceBytes: $0.ready.restingAddressSpaceBytes)
            }
        }
    }

    func failure(_ code: String, _ message: String) -> WorkerInvocationResult {
        WorkerInvocationResult(result: InvocationResult(outcome: .failure(code: code, message: message, details: nil), version: manifest.version),
                               peakMemoryBytes: 0)
    }
}

/// Runs blocking work (spawning, reaping) on a Dispatch thread, off the cooperative pool.
func offload<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(returning: body()) }
    }
}
