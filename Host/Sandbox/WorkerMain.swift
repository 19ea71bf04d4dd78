#if canImport(Glibc)
import Glibc
#endif
import RenumManifest
import RenumObservability
import RenumRuntime

/// `renum worker --fd N`: the process side of process isolation.
///
/// Two stages. Stage 1 (as spawned): enter a new network namespace where allowed, switch to
/// the `--uid`/`--gid` identity when given, and exec itself again (`--sandboxed`). Both
/// calls act on the calling thread only (and glibc's setuid broadcast misses the main thread
/// that Dispatch parks in async `main`), so the exec is what makes them hold for the whole
/// process: it keeps only the calling thread, and every later thread inherits from it.
/// Stage 2: reads init from fd N, puts the rest of the sandbox on (no_new_privs, not
/// dumpable, rlimits, signal handlers, seccomp with TSYNC), then loads the plugin with the
/// runtime's loader (digest-checked) and serves invokes until shutdown or EOF.
public enum WorkerMain {
    /// Exit codes: 0 done (shutdown, EOF, or a refused load reported to the host), 64 bad
    /// usage, 65 the sandbox could not be set up, 66 protocol error, 70 memory limit
    /// (from the fault handler), a signal when the plugin crashed.
    public static func run(arguments: [String]) -> Int32 {
        guard let index = arguments.firstIndex(of: "--fd"), index + 1 < arguments.count,
              let fd = Int32(arguments[index + 1]), fd >= 0 else {
            return 64
        }
        var identity: (uid: UInt32, gid: UInt32)?
        if let u = arguments.firstIndex(of: "--uid"), u + 1 < arguments.count, let uid = UInt32(arguments[u + 1]),
           let g = arguments.firstIndex(of: "--gid"), g + 1 < arguments.count, let gid = UInt32(arguments[g + 1]) {
            identity = (uid, gid)
        }
        guard arguments.contains("--sandboxed") else {
            return reenter(arguments: arguments, identity: identity)
        }
        let networkNamespace = arguments.firstIndex(of: "--netns").map { $0 + 1 < arguments.count && arguments[$0 + 1] == "1" } ?? false
        let channel = FrameChannel(fd: fd)
        let services = ForwardingServices(channel: channel)
        let logger = Logger(label: "worker", sink: ForwardingLogSink(services: services))
        let initMessage: InitMessage
        let manifest: PluginManifest
        do {
            let frame = try channel.receive()
            guard frame.kind == .initialize else { return 66 }
            initMessage = try InitMessage.decode(frame.payload)
        } catch {
            return 66
        }
        do {
            manifest = try PluginManifest.parse(initMessage.manifestJSON)
        } catch {
            refuse(channel, "BAD_MANIFEST", error.description)
            return 0
        }

        let policy = SandboxPolicy(manifest: manifest, addressSpaceNow: UInt64(max(SandboxSignals.addressSpaceBytes(), 0)))
        do {
            try WorkerSandbox.enter(policy, networkNamespace: networkNamespace, logger: logger)
        } catch {
            refuse(channel, "SANDBOX_FAILED", String(describing: error))
            return 65
        }

        let plugin: LoadedPlugin
        do {
            plugin = try PluginLoader(services: services, logger: logger)
                .load(artifactPath: initMessage.artifactPath, sha256: initMessage.sha256, manifest: manifest, config: initMessage.config)
        } catch {
            refuse(channel, error.code, error.message)
            return 0
        }
        let ready = ReadyMessage(networkNamespace: networkNamespace, addressSpaceLimit: policy.addressSpaceBytes,
                                 restingPeakBytes: SandboxSyscalls.peakResidentBytes(),
                                 restingAddressSpaceBytes: UInt64(max(SandboxSignals.addressSpaceBytes(), 0)))
        do {
            try channel.send(Frame(kind: .ready, id: 0, payload: ready.encoded()))
        } catch {
            return 0
        }
        return WorkerServer(channel: channel, services: services, plugin: plugin, threads: policy.threads).serve()
    }

    /// Stage 1: network namespace, identity, exec (returns only on failure: 65).
    private static func reenter(arguments: [String], identity: (uid: UInt32, gid: UInt32)?) -> Int32 {
        let executable = CommandLine.arguments[0]
        do {
            let fd = try SandboxSyscalls.openExecutable(executable)
            var networkNamespace = true
            do { try SandboxSyscalls.enterNewNetworkNamespace() } catch { networkNamespace = false }
            if let identity { try SandboxSyscalls.dropIdentity(uid: identity.uid, gid: identity.gid) }
            let error = SandboxSyscalls.execute(fd: fd, arguments: [executable, "worker"] + arguments
                                                + ["--sandboxed", "--netns", networkNamespace ? "1" : "0"])
            throw error
        } catch {
            return 65
        }
    }

    private static func refuse(_ channel: FrameChannel, _ code: String, _ message: String) {
        try? channel.send(Frame(kind: .refused, id: 0, payload: CodeMessage(code: code, message: message).encoded()))
    }
}

/// Stage 2 of the sandbox, in order (namespace and identity came with stage 1).
enum WorkerSandbox {
    static func enter(_ policy: SandboxPolicy, networkNamespace: Bool, logger: Logger) throws {
        try SandboxSyscalls.setNoNewPrivileges()
        SandboxSyscalls.setNotDumpable()
        if !networkNamespace {
            logger.warning("no private network namespace (unshare refused; seccomp still forbids sockets)")
        }
        try policy.applyLimits()
        guard SandboxSignals.install(memoryBudgetBytes: Int(policy.memoryBudgetBytes)) else {
            throw SandboxError(operation: "sigaction", code: errno)
        }
        try SeccompFilter.load(policy.seccompRules(pid: getpid()))
        logger.info("sandbox on", ["network_namespace": String(networkNamespace), "rlimit_as": String(policy.addressSpaceBytes),
                                   "threads": String(policy.threads)])
    }
}
