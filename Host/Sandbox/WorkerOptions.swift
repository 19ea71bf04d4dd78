import RenumObservability
import RenumRuntime

/// How the host runs workers (everything the manifest does not say).
public struct WorkerOptions: Sendable {
    /// The `renum` executable to start as `renum worker` (the server passes /proc/self/exe;
    /// tests pass the built `renum` beside the test bundle).
    public var executablePath: String
    /// Where the host logs worker lifecycle events (start, death, kills).
    public var logger: Logger
    /// Calls that may wait for a slot beyond policy.max_concurrency; more get CONCURRENCY_LIMIT.
    public var queueLimit: Int
    /// Log lines one call may write; the rest are dropped with one warning.
    public var logLinesPerCall: Int
    /// Log bytes per second one worker may write (token bucket); beyond, lines are dropped.
    public var logBytesPerSecond: Int
    /// How long a worker may take to load its plugin before it is killed.
    public var startupTimeoutMilliseconds: Int
    /// How long `stop()` lets calls in flight finish before SIGKILL.
    public var stopGrace: Duration
    /// The unprivileged identity workers switch to before loading the plugin (uid, gid).
    /// Default: nobody (65534) when the host runs as root, none otherwise (an unprivileged
    /// host's workers already have its identity). The artifact must be readable by it.
    public var identity: (uid: UInt32, gid: UInt32)?

    /// Options with defaults: a queue of 16, 1,000 lines per call, 1 MiB/s of log, 10 s to start, 5 s to stop.
    public init(executablePath: String, logger: Logger = .disabled, queueLimit: Int = 16, logLinesPerCall: Int = 1_000,
                logBytesPerSecond: Int = 1 << 20, startupTimeoutMilliseconds: Int = 10_000, stopGrace: Duration = .seconds(5),
                identity: (uid: UInt32, gid: UInt32)? = WorkerOptions.defaultIdentity) {
        self.executablePath = executablePath
        self.logger = logger
        self.queueLimit = queueLimit
        self.logLinesPerCall = logLinesPerCall
        self.logBytesPerSecond = logBytesPerSecond
        self.startupTimeoutMilliseconds = startupTimeoutMilliseconds
        self.stopGrace = stopGrace
        self.identity = identity
    }

    /// nobody/nogroup (65534) for a root host, nil otherwise.
    public static var defaultIdentity: (uid: UInt32, gid: UInt32)? { ProcessSyscalls.isRoot ? (65534, 65534) : nil }
}

/// A process-mode invocation: the runtime's result plus what only a worker can measure.
public struct WorkerInvocationResult: Sendable {
    /// Outcome, metering (wall time measured by the host, round trip included; CPU time of
    /// the worker's invoke thread) and version, as in process.
    public let result: InvocationResult
    /// The worker's peak resident set (ru_maxrss) when the call ended, bytes; 0 when the
    /// call never reached a worker. A high-water mark over the worker's life, so per call it
    /// is exact only for the first call that raised it.
    public let peakMemoryBytes: UInt64
}

/// How a worker's sandbox came out (from its ready message).
public struct WorkerSandboxReport: Sendable, Equatable {
    /// The worker's pid.
    public let processID: Int32
    /// Whether it runs in its own (empty) network namespace.
    public let networkNamespace: Bool
    /// Its RLIMIT_AS, bytes.
    public let addressSpaceLimitBytes: UInt64
    /// Its resident peak right after loading the plugin, bytes.
    public let restingPeakBytes: UInt64
    /// Its address space right after loading the plugin, bytes.
    public let restingAddressSpaceBytes: UInt64
}
