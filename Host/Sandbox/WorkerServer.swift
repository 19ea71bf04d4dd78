import Dispatch
import Foundation
import Synchronization
import RenumRuntime

/// The worker's serve loop: the main thread reads frames; invokes run on a fixed pool of
/// `threads` threads (one call per thread at a time); results go back as they finish.
final class WorkerServer: Sendable {
    struct Job: Sendable {
        let callID: UInt64
        let message: InvokeMessage
    }

    let channel: FrameChannel
    let services: ForwardingServices
    let plugin: LoadedPlugin
    let threads: Int
    private let queue = Mutex<[Job]>([])
    private let jobsReady = DispatchSemaphore(value: 0)
    private let running = Atomic<Int>(0)
    private let drained = DispatchSemaphore(value: 0)
    private let draining = Atomic<Bool>(false)

    init(channel: FrameChannel, services: ForwardingServices, plugin: LoadedPlugin, threads: Int) {
        self.channel = channel
        self.services = services
        self.plugin = plugin
        self.threads = threads
    }

    /// Serves until shutdown (drains, shuts the plugin down, 0) or EOF (the host is gone: 0 at once).
    func serve() -> Int32 {
        for _ in 0..<threads {
            let thread = Thread { [self] in work() }
            thread.stackSize = SandboxPolicy.threadStackBytes
            thread.start()
        }
        // The plugin's budget counts from here: image loaded, every invoke thread's stack mapped.
        SandboxSignals.setBaseline()
        while true {
            let frame: Frame
            do {
                frame = try channel.receive()
            } catch {
                return error == .closed ? 0 : 66
            }
            switch frame.kind {
            case .invoke:
                guard !draining.load(ordering: .relaxed), let message = try? InvokeMessage.decode(frame.payload) else { return 66 }
                _ = running.add(1, ordering: .sequentiallyConsistent)
                queue.withLock { $0.append(Job(callID: frame.id, message: message)) }
                jobsReady.signal()
            case .hostReply:
                guard let result = try? HostReply.decode(frame.payload) else { return 66 }
                services.deliver(frame.id, result)
            case .cancel:
                services.cancel(callID: frame.id)
            case .shutdown:
                draining.store(true, ordering: .sequentiallyConsistent)
                if running.load(ordering: .sequentiallyConsistent) > 0 { drained.wait() }
                plugin.shutdown()
                return 0
            default:
                return 66
            }
        }
    }

    private func work() {
        while true {
            jobsReady.wait()
            guard let job = queue.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { continue }
            let result = run(job)
            try? channel.send(Frame(kind: .result, id: job.callID, payload: result.encoded()))
            services.finished(callID: job.callID)
            if running.subtract(1, ordering: .sequentiallyConsistent).newValue == 0, draining.load(ordering: .sequentiallyConsistent) {
                drained.signal()
            }
        }
    }

    /// One call: the runtime's invoke (schema checks, metering, thread CPU time), then the
    /// sandbox's verdict on this thread: a refused over-budget allocation (or an address space
    /// grown by ≥ 90% of the budget since load) turns a failure into PLUGIN_MEMORY_LIMIT, a
    /// refused system call into POLICY_DENIED.
    private func run(_ job: Job) -> ResultMessage {
        _ = SandboxSignals.takeDeniedSyscall()
        _ = SandboxSignals.takeMemoryRefused()
        let result = plugin.invoke(capability: job.message.capability, input: job.message.input,
                                   caller: CallerContext(userID: nil, requestID: String(job.callID)))
        let denied = SandboxSignals.takeDeniedSyscall()
        let memoryRefused = SandboxSignals.takeMemoryRefused()
        var outcome = result.outcome
        if case .failure(let code, let message, _) = outcome {
            if memoryRefused || SandboxSignals.nearMemoryLimit() {
                outcome = .failure(code: "PLUGIN_MEMORY_LIMIT", message: "an allocation beyond policy.max_memory_mb was refused; the plugin then failed with \(code): \(message)", details: nil)
            } else if let denied {
                outcome = .failure(code: "POLICY_DENIED", message: "the sandbox refused the system call \(SeccompFilter.name(of: denied)); the plugin then failed with \(code): \(message)", details: nil)
            }
        } else if let denied {
            services.log(.warning, "worker: the sandbox refused the system call \(SeccompFilter.name(of: denied)) during a call that still succeeded", call: nil)
        }
        return ResultMessage(outcome: outcome, metering: result.metering, peakMemoryBytes: SandboxSyscalls.peakResidentBytes())
    }
}
