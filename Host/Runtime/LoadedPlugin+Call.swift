// The on_invoke call itself: the slot that gives the call its ctx, the output struct,
// the plugin's buffers (each released with on_free whatever the result), the clocks.
import RenumCore
internal import CRenumPlugin

/// What came back from on_invoke before the output check.
struct RawInvocation {
    /// nil when the plugin returned OK with output; the failure otherwise.
    var outcome: InvocationOutcome?
    var output: [UInt8] = []
    var metering = Metering()
}

extension LoadedPlugin {
    func call(_ entry: CapabilityEntry, input: [UInt8], caller: CallerContext, cancellation: CancellationFlag?) -> RawInvocation {
        let slots = CallSlotTable.shared
        let ctx = slots.begin(plugin: context, capability: entry.capabilityName, caller: caller, cancellation: cancellation)
        guard ctx != 0 else {
            return RawInvocation(outcome: .failure(code: "CONCURRENCY_LIMIT", message: "all \(CallSlotTable.capacity) call slots of this host are busy", details: nil))
        }
        var out = renum_plugin_invoke_output()
        out.struct_size = MemoryLayout<renum_plugin_invoke_output>.size
        // CLOCK_THREAD_CPUTIME_ID is a real syscall (about 600 ns here, twice per call), so
        // it is read only for capabilities whose recent calls are not tiny (see CPUSampler).
        let measureCPU = entry.cpu.shouldMeasure
        let cpuStart = measureCPU ? Clock.threadCPUNanoseconds() : 0
        let wallStart = measureCPU ? 0 : Clock.monotonicNanoseconds()
        let result = entry.name.withUnsafeBufferPointer { name in
            input.withUnsafeBufferPointer { input in
                name.withMemoryRebound(to: CChar.self) { name in
                    input.withMemoryRebound(to: CChar.self) { input in
                        functions.onInvoke(functions.instance, OpaquePointer(bitPattern: ctx), name.baseAddress, name.count,
                                           input.baseAddress, input.count, &out)
                    }
                }
            }
        }
        let cpu = measureCPU ? Clock.threadCPUNanoseconds() &- cpuStart : Clock.monotonicNanoseconds() &- wallStart
        entry.cpu.record(cpu)
        let usage = slots.end(ctx)

        let output = takeBuffer(out.output_json, out.output_json_len, functions.onFree)
        let code = takeBuffer(out.error.code, out.error.code_len, functions.onFree)
        let message = takeBuffer(out.error.message, out.error.message_len, functions.onFree)

        var raw = RawInvocation()
        raw.metering = Metering(cpuNanoseconds: cpu, cpuMeasured: measureCPU, egressRequests: usage.egressRequests, egressBytesOut: usage.egressBytesOut,
                                egressBytesIn: usage.egressBytesIn, hostCalls: usage.hostCalls, units: usage.units)
        let pluginMessage = message.map { String(decoding: $0, as: UTF8.self) } ?? ""
        switch result {
        case RENUM_PLUGIN_RESULT_OK:
            if let output {
                raw.output = output
            } else {
                raw.outcome = .failure(code: "PLUGIN_ERROR", message: "the plugin returned OK without output", details: nil)
            }
        case RENUM_PLUGIN_RESULT_ERROR:
            let pluginCode = code.map { String(decoding: $0, as: UTF8.self) } ?? ""
            raw.outcome = .failure(code: pluginCode.isEmpty ? "PLUGIN_ERROR" : pluginCode,
                                   message: pluginMessage.isEmpty ? "the plugin failed without a message" : pluginMessage, details: nil)
        default:
            raw.outcome = .failure(code: "PLUGIN_ERROR", message: "on_invoke returned \(result.rawValue)"
                                   + (pluginMessage.isEmpty ? "" : ": \(pluginMessage)"), details: nil)
        }
        return raw
    }
}
