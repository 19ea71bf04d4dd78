import Dispatch
import Foundation
import Synchronization
import RenumManifest
import RenumObservability
import RenumRuntime
import RenumCore

/// One running `renum worker` and its connection: started, fed invokes, watched (deadline,
/// death), and reaped. `PluginWorker` replaces it when it dies.
final class WorkerProcess: Sendable {
    /// What a call waiting for its result holds.
    struct PendingCall: Sendable {
        let continuation: CheckedContinuation<ResultMessage, Never>
        let call: CallInfo
        let deadline: UInt64
    }

    struct State: Sendable {
        var calls: [UInt64: PendingCall] = [:]
        var nextCallID: UInt64 = 1
        var exited = false
        var timedOutCall: UInt64?
        var stopping = false
        /// Set (under the lock) just before waitpid: no signal is sent to the pid afterwards.
        var reaped = false
    }

    let pid: pid_t
    let ready: ReadyMessage
    let directory: String
    let channel: FrameChannel
    private let manifest: PluginManifest
    let services: any HostServices
    let logger: Logger
    let logGate: LogGate
    let state = Mutex(State())
    let reaped = DispatchSemaphore(value: 0)
    let exitStatus = Mutex<ProcessExit?>(nil)

    private init(pid: pid_t, ready: ReadyMessage, directory: String, channel: FrameChannel, manifest: PluginManifest,
                 services: any HostServices, logger: Logger, logGate: LogGate) {
        self.pid = pid
        self.ready = ready
        self.directory = directory
        self.channel = channel
        self.manifest = manifest
        self.services = services
        self.logger = logger
        self.logGate = logGate
    }

    /// Spawns a worker, sends init and blocks until it is ready (or refused: its `LoadError`).
    /// `onExit` runs once, on the reader thread, after the process is reaped.
    static func start(manifest: PluginManifest, manifestJSON: [UInt8], artifactPath: String, sha256: String, config: [UInt8],
                      services: any HostServices, options: WorkerOptions,
                      onExit: @escaping @Sendable (WorkerProcess) -> Void) throws(LoadError) -> WorkerProcess {
        let directory: String
        let workerArtifact: String
        let fds: (host: Int32, worker: Int32)
        let pid: pid_t
        do {
            directory = try ProcessSyscalls.makePrivateDirectory(prefix: "renum-worker")
            var arguments = ["worker", "--fd", "3"]
            // The worker loads its own copy (the digest is checked there again), so the host's
            // artifact store never needs to be readable by the worker's unprivileged identity.
            workerArtifact = directory + "/plugin.so"
            try ProcessSyscalls.copyFile(artifactPath, to: workerArtifact, uid: options.identity?.uid, gid: options.identity?.gid)
            if let identity = options.identity {
                try ProcessSyscalls.giveDirectory(directory, uid: identity.uid, gid: identity.gid)
                arguments += ["--uid", String(identity.uid), "--gid", String(identity.gid)]
            }
            fds = try ProcessSyscalls.socketPair()
            defer { close(fds.worker) }
            let environment = ["PATH=/usr/bin:/bin", "HOME=\(directory)", "TMPDIR=\(directory)", "LANG=C.UTF-8",
                               // No crash-time backtracer (it would exec), one malloc arena (RLIMIT_AS friendly).
                               "SWIFT_BACKTRACE=enable=no", "MALLOC_ARENA_MAX=1"]
            pid = try ProcessSyscalls.spawn(path: options.executablePath, arguments: arguments,
                                            environment: environment, directory: directory, channelFD: fds.worker)
        } catch {
            throw LoadError(code: "WORKER_START_FAILED", message: error.description)
        }
        let channel = FrameChannel(fd: fds.host)
        // A worker that hangs in load (on_init looping) is killed after the startup timeout.
        // The kill happens under the same lock that settles startup, before any reaping.
        struct Startup { var settled = false; var timerFired = false }
        let startup = Mutex(Startup())
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(options.startupTimeoutMilliseconds)) {
            startup.withLock { state in
                guard !state.settled else { return }
                state.settled = true
                state.timerFired = true
                ProcessSyscalls.signal(pid, SIGKILL)
            }
        }
        func fail(_ code: String, _ message: String) -> LoadError {
            let timerFired = startup.withLock { state in
                state.settled = true
                return state.timerFired
            }
            ProcessSyscalls.signal(pid, SIGKILL)
            _ = ProcessSyscalls.wait(pid)
            channel.close()
            ProcessSyscalls.removeTree(directory)
            if timerFired {
                return LoadError(code: "PLUGIN_TIMEOUT", message: "the worker was not ready within \(options.startupTimeoutMilliseconds) ms")
            }
            return LoadError(code: code, message: message)
        }
        let initMessage = InitMessage(manifestJSON: manifestJSON, artifactPath: workerArtifact, sha256: sha256, config: config)
        let ready: ReadyMessage
        do {
            try channel.send(Frame(kind: .initialize, id: 0, payload: initMessage.encoded()))
            var frame = try channel.receive()
            // Lines logged during load (sandbox notes, refusals) come before ready.
            while frame.kind == .hostRequest {
                if case .log(_, let level, let message) = try HostRequest.decode(frame.payload) {
                    services.log(level, message, call: nil)
                }
                frame = try channel.receive()
            }
            switch frame.kind {
            case .ready:
                ready = try ReadyMessage.decode(frame.payload)
            case .refused:
                let refusal = try CodeMessage.decode(frame.payload)
                throw fail(refusal.code, refusal.message)
            default:
                throw fail("WORKER_START_FAILED", "unexpected frame \(frame.kind) before ready")
            }
        } catch let error as LoadError {
            throw error
        } catch {
            throw fail("WORKER_START_FAILED", "the worker ended before it was ready: \(error)")
        }
        let timerFired = startup.withLock { state in
            defer { state.settled = true }
            return state.timerFired
        }
        if timerFired { throw fail("PLUGIN_TIMEOUT", "") }
        let process = WorkerProcess(pid: pid, ready: ready, directory: directory, channel: channel, manifest: manifest,
                                    services: services, logger: options.logger,
                                    logGate: LogGate(linesPerCall: options.logLinesPerCall, bytesPerSecond: options.logBytesPerSecond))
        let reader = Thread { process.readLoop(onExit: onExit) }
        reader.name = "renum-worker-\(pid)"
        reader.start()
        let watchdog = Thread { process.watchLoop() }
        watchdog.start()
        return process
    }

    /// Sends one invoke and waits for its result (or the worker's death).
    func invoke(capability: String, input: [UInt8], call: CallInfo) async -> ResultMessage {
        let timeout = UInt64(max(manifest.policy.timeoutMilliseconds, 1)) * 1_000_000
        let id = state.withLock { state in
            defer { state.nextCallID += 1 }
            return state.nextCallID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let registered: Bool = state.withLock { state in
                    guard !state.exited, !state.stopping else { return false }
                    state.calls[id] = PendingCall(continuation: continuation, call: call,
                                                  deadline: Monotonic.now() + timeout)
                    return true
                }
                guard registered else {
                    continuation.resume(returning: Self.failure(Self.goneCode, "the plugin's worker is gone"))
                    return
                }
                do {
                    try channel.send(Frame(kind: .invoke, id: id, payload: InvokeMessage(capability: capability, input: input).encoded()))
                } catch {
                    // The reader sees the death and fails the call (it is registered).
                    kill()
                }
            }
        } onCancel: {
            // The caller went away: the worker fails this call's further host requests at once
            // (the call itself runs on to its result or its deadline).
            try? channel.send(Frame(kind: .cancel, id: id, payload: []))
        }
    }

    /// Asks the worker to finish its calls and exit; SIGKILL after `grace`. Returns once reaped.
    func stop(grace: Duration) {
        state.withLock { $0.stopping = true }
        try? channel.send(Frame(kind: .shutdown, id: 0, payload: []))
        let seconds = Double(grace.components.seconds) + Double(grace.components.attoseconds) / 1e18
        if reaped.wait(timeout: .now() + seconds) == .timedOut {
            kill()
            reaped.wait()
        }
        reaped.signal()
    }

    /// Kills the process now (its calls fail, `onExit` runs).
    func kill() {
        state.withLock { state in
            if !state.reaped { ProcessSyscalls.signal(pid, SIGKILL) }
        }
    }

    /// How the process ended, once reaped.
    var exit: ProcessExit? { exitStatus.withLock { $0 } }

    var isStopping: Bool { state.withLock { $0.stopping } }

    /// Internal: the call never reached this (dead) worker; `PluginWorker` retries it on the replacement.
    static let goneCode = "WORKER_GONE"

    static func failure(_ code: String, _ message: String) -> ResultMessage {
        ResultMessage(outcome: .failure(code: code, message: message, details: nil), metering: Metering(), peakMemoryBytes: 0)
    }
}
