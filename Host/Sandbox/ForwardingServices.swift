import Dispatch
import Synchronization
import RenumObservability
import RenumRuntime

/// The worker's `HostServices`: every http_request, get_credential and log goes to the host
/// over the channel (the host applies policy); the plugin thread blocks for the reply.
/// The worker tags each call's `CallerContext.requestID` with the call id, which is how a
/// request finds its call here (the host substitutes its real `CallInfo`).
final class ForwardingServices: HostServices {
    /// A reply someone is waiting for.
    final class ReplySlot: Sendable {
        let semaphore = DispatchSemaphore(value: 0)
        let result = Mutex<HostCallResult?>(nil)
    }

    /// Set once the serve loop runs (before that only logs are sent).
    let channel: FrameChannel
    private let pending = Mutex<[UInt64: ReplySlot]>([:])
    private let cancelled = Mutex<Set<UInt64>>([])
    private let nextRequestID = Atomic<UInt64>(1)
    private let linesPerCall = Mutex<[UInt64: Int]>([:])
    /// Log lines one call may send before the worker drops the rest itself (saves the
    /// socket; the host enforces its own, configurable caps regardless).
    static let maximumLogLinesPerCall = 1_000
    /// The longest log line sent (longer ones are cut).
    static let maximumLogLine = 8 << 10

    init(channel: FrameChannel) { self.channel = channel }

    func httpRequest(_ requestJSON: [UInt8], call: CallInfo) -> HostCallResult {
        roundTrip(.http(callID: Self.callID(call), request: requestJSON))
    }

    func credential(serviceType: String, call: CallInfo) -> HostCallResult {
        roundTrip(.credential(callID: Self.callID(call), serviceType: serviceType))
    }

    func log(_ level: PluginLogLevel, _ message: String, call: CallInfo?) {
        let line = message.utf8.count > Self.maximumLogLine ? String(decoding: message.utf8.prefix(Self.maximumLogLine), as: UTF8.self) : message
        let callID = call.map(Self.callID) ?? 0
        if callID != 0 {
            let count = linesPerCall.withLock { counts -> Int in
                counts[callID, default: 0] += 1
                return counts[callID]!
            }
            guard count <= Self.maximumLogLinesPerCall else {
                if count == Self.maximumLogLinesPerCall + 1 {
                    let warning = HostRequest.log(callID: callID, level: .warning, message: "worker: log lines of this call beyond \(Self.maximumLogLinesPerCall) are dropped")
                    try? channel.send(Frame(kind: .hostRequest, id: 0, payload: warning.encoded()))
                }
                return
            }
        }
        let request = HostRequest.log(callID: callID, level: level, message: line)
        try? channel.send(Frame(kind: .hostRequest, id: 0, payload: request.encoded()))
    }

    /// The host's reply to request `id` arrived.
    func deliver(_ id: UInt64, _ result: HostCallResult) {
        guard let slot = pending.withLock({ $0.removeValue(forKey: id) }) else { return }
        slot.result.withLock { $0 = result }
        slot.semaphore.signal()
    }

    /// The host gave up on this call: its further host requests fail at once.
    func cancel(callID: UInt64) { _ = cancelled.withLock { $0.insert(callID) } }

    /// The call is over: forget its cancellation.
    func finished(callID: UInt64) {
        _ = cancelled.withLock { $0.remove(callID) }
        _ = linesPerCall.withLock { $0.removeValue(forKey: callID) }
    }

    private func roundTrip(_ request: HostRequest) -> HostCallResult {
        let callID: UInt64
        switch request {
        case .http(let id, _), .credential(let id, _), .log(let id, _, _): callID = id
        }
        if cancelled.withLock({ $0.contains(callID) }) { return .timeout }
        let id = nextRequestID.add(1, ordering: .relaxed).oldValue
        let slot = ReplySlot()
        pending.withLock { $0[id] = slot }
        do {
            try channel.send(Frame(kind: .hostRequest, id: id, payload: request.encoded()))
        } catch {
            _ = pending.withLock { $0.removeValue(forKey: id) }
            return .failed(code: "HOST_UNAVAILABLE", message: "the host connection is closed")
        }
        slot.semaphore.wait()
        return slot.result.withLock { $0 } ?? .failed(code: "HOST_UNAVAILABLE", message: "no reply")
    }

    private static func callID(_ call: CallInfo) -> UInt64 { call.requestID.flatMap { UInt64($0) } ?? 0 }
}

/// The worker's own log lines (loader refusals, sandbox notes) go to the host as call-less logs.
struct ForwardingLogSink: LogSink {
    let services: ForwardingServices

    func write(_ record: LogRecord) {
        let level: PluginLogLevel
        switch record.level {
        case .debug: level = .debug
        case .info: level = .info
        case .warning: level = .warning
        default: level = .error
        }
        let fields = record.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        services.log(level, "worker: " + record.message + (fields.isEmpty ? "" : " " + fields), call: nil)
    }
}
