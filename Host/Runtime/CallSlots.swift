import Synchronization
import RenumManifest

/// Set when a call's caller stops waiting (timeout, cancellation); read by is_cancelled.
final class CancellationFlag: Sendable {
    let raised = Atomic<Bool>(false)
    func raise() { raised.store(true, ordering: .releasing) }
    var isRaised: Bool { raised.load(ordering: .acquiring) }
}

/// The per-call state host functions reach through ctx.
struct SlotState {
    /// Odd while a call runs in this slot; bumped on entry and on exit, so a ctx minted for
    /// one call never matches another (or no) call.
    var generation: UInt64 = 0
    var plugin: PluginContext?
    var capability = ""
    var caller = CallerContext()
    var cancellation: CancellationFlag?
    var hostCalls = 0
    var egressRequests = 0
    var egressBytesOut = 0
    var egressBytesIn = 0
    var units: [String: Double] = [:]
}

/// One reusable call slot.
final class CallSlot: Sendable {
    let state = Mutex(SlotState())
}

/// What a running call's host requests need, captured under the slot lock.
struct CallBinding {
    let plugin: PluginContext
    let capability: String
    let caller: CallerContext
    let cancellation: CancellationFlag?

    var callInfo: CallInfo {
        CallInfo(agentID: plugin.manifest.agentID, version: plugin.manifest.version, capability: capability,
                 userID: caller.userID, requestID: caller.requestID, manifest: plugin.manifest)
    }
}

/// The usage a call accumulated, read when it ends.
struct SlotUsage {
    var hostCalls = 0
    var egressRequests = 0
    var egressBytesOut = 0
    var egressBytesIn = 0
    var units: [String: Double] = [:]
}

/// A fixed table of call slots that is never freed, so ctx can be an integer instead of
/// a pointer: ctx = generation << indexBits | index. A host function decodes it, checks
/// the index is in range and the slot's generation still equals the encoded one; a stale
/// ctx (its call has returned) or a forged one is refused with INVALID_ARGUMENT and no
/// memory is ever read through a plugin-supplied pointer.
final class CallSlotTable: Sendable {
    static let indexBits = 13
    /// Calls running at once across all plugins in this process; beyond it, calls are
    /// refused with CONCURRENCY_LIMIT.
    static let capacity = 1 << indexBits

    static let shared = CallSlotTable()

    private let slots: [CallSlot]
    private let free: Mutex<[Int]>

    private init() {
        slots = (0..<Self.capacity).map { _ in CallSlot() }
        free = Mutex(Array((0..<Self.capacity).reversed()))
    }

    /// Binds a free slot to a starting call; nil when every slot is busy.
    func begin(plugin: PluginContext, capability: String, caller: CallerContext, cancellation: CancellationFlag?) -> UInt {
        guard let index = free.withLock({ $0.popLast() }) else { return 0 }
        let generation = slots[index].state.withLock { state in
            state.generation &+= 1
            state.plugin = plugin
            state.capability = capability
            state.caller = caller
            state.cancellation = cancellation
            state.hostCalls = 0
            state.egressRequests = 0
            state.egressBytesOut = 0
            state.egressBytesIn = 0
            return state.generation
        }
        return UInt(generation) << UInt(Self.indexBits) | UInt(index)
    }

    /// Ends the call bound to `ctx`, invalidating ctx, and returns what it used.
    func end(_ ctx: UInt) -> SlotUsage {
        let index = Int(ctx & UInt(Self.capacity - 1))
        let usage = slots[index].state.withLock { state in
            state.generation &+= 1
            state.plugin = nil
            state.cancellation = nil
            var units: [String: Double] = [:]
            swap(&units, &state.units)
            return SlotUsage(hostCalls: state.hostCalls, egressRequests: state.egressRequests,
                             egressBytesOut: state.egressBytesOut, egressBytesIn: state.egressBytesIn, units: units)
        }
        free.withLock { $0.append(index) }
        return usage
    }

    /// Runs `body` on the state of the live call `ctx` names; nil when ctx is stale or forged.
    func withLiveCall<T>(_ ctx: UInt, _ body: (inout SlotState) -> T) -> T? {
        let index = Int(ctx & UInt(Self.capacity - 1))
        let generation = UInt64(ctx >> UInt(Self.indexBits))
        guard generation & 1 == 1 else { return nil }
        return slots[index].state.withLock { state in
            guard state.generation == generation, state.plugin != nil else { return nil }
            return body(&state)
        }
    }

    /// The binding of the live call `ctx` names, counting one host call; nil when stale.
    func binding(_ ctx: UInt) -> CallBinding? {
        withLiveCall(ctx) { state in
            state.hostCalls += 1
            return CallBinding(plugin: state.plugin!, capability: state.capability, caller: state.caller, cancellation: state.cancellation)
        }
    }
}
