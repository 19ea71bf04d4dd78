// The one file that implements the C host API table (renum_host_api): @convention(c)
// trampolines that decode ctx, copy borrowed buffers, and delegate to HostServices.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization
import RenumCore
import RenumManifest
internal import CRenumPlugin

/// The host table handed to every plugin's on_init: static, allocated once, never freed
/// (the header promises it outlives every instance, and images are never unloaded).
struct HostTable: @unchecked Sendable {
    // @unchecked: the pointee is written once in init and only read afterwards.
    let pointer: UnsafeMutablePointer<renum_host_api>

    static let shared = HostTable()

    private init() {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: renum_host_api(
            struct_size: MemoryLayout<renum_host_api>.size,
            abi_major: UInt32(RENUM_PLUGIN_ABI_MAJOR), abi_minor: UInt32(RENUM_PLUGIN_ABI_MINOR),
            log: hostLog, http_request: hostHTTPRequest, get_credential: hostGetCredential,
            meter: hostMeter, is_cancelled: hostIsCancelled, now: hostNow, free_buffer: hostFreeBuffer))
    }
}

/// Who log(NULL, …) belongs to while a plugin's on_init or on_shutdown runs (loads and
/// shutdowns are serialised by `PluginLifecycleLock`).
let lifecycleLogTarget = Mutex<PluginContext?>(nil)

private func ctxValue(_ ctx: OpaquePointer?) -> UInt { UInt(bitPattern: ctx) }

private func text(_ bytes: UnsafePointer<CChar>?, _ count: Int) -> String? {
    guard let bytes, count >= 0 else { return count == 0 ? "" : nil }
    return String(decoding: UnsafeRawBufferPointer(start: bytes, count: count), as: UTF8.self)
}

/// A malloc'ed copy of `bytes`, released by the plugin with free_buffer (free).
private func hostBuffer(_ bytes: [UInt8], _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                        _ outCount: UnsafeMutablePointer<Int>) -> Bool {
    guard let buffer = malloc(max(bytes.count, 1)) else { return false }
    bytes.withUnsafeBytes { if let base = $0.baseAddress { memcpy(buffer, base, bytes.count) } }
    out.pointee = buffer.assumingMemoryBound(to: CChar.self)
    outCount.pointee = bytes.count
    return true
}

/// The error JSON {"code", "message"} for a refused host request.
private func errorJSON(_ code: String, _ message: String) -> [UInt8] {
    var writer = JSONWriter(capacity: 64 + message.utf8.count)
    writer.object { $0.field("code", code); $0.field("message", message) }
    return writer.bytes
}

/// Maps a HostServices answer onto the ABI result and out-buffer.
private func deliver(_ result: HostCallResult, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                     _ outCount: UnsafeMutablePointer<Int>) -> renum_plugin_result {
    let (code, json): (renum_plugin_result, [UInt8])
    switch result {
    case .ok(let body): (code, json) = (RENUM_PLUGIN_RESULT_OK, body)
    case .denied(let c, let m): (code, json) = (RENUM_PLUGIN_RESULT_DENIED, errorJSON(c, m))
    case .notFound: (code, json) = (RENUM_PLUGIN_RESULT_NOT_FOUND, errorJSON("NOT_FOUND", "not found"))
    case .failed(let c, let m): (code, json) = (RENUM_PLUGIN_RESULT_UNAVAILABLE, errorJSON(c, m))
    case .timeout: (code, json) = (RENUM_PLUGIN_RESULT_TIMEOUT, errorJSON("TIMEOUT", "the request timed out"))
    }
    guard hostBuffer(json, out, outCount) else { return RENUM_PLUGIN_RESULT_NO_MEMORY }
    return code
}

private let hostLog: renum_host_log_fn = { ctx, level, message, count in
    guard let line = text(message, count) else { return }
    let level = PluginLogLevel(rawValue: Int32(level.rawValue)) ?? .info
    if ctx == nil {
        lifecycleLogTarget.withLock { $0 }?.services.log(level, line, call: nil)
        return
    }
    guard let binding = CallSlotTable.shared.binding(ctxValue(ctx)) else { return }
    binding.plugin.services.log(level, line, call: binding.callInfo)
}

private let hostHTTPRequest: renum_host_http_request_fn = { ctx, request, count, out, outCount in
    guard let out, let outCount else { return RENUM_PLUGIN_RESULT_INVALID_ARGUMENT }
    out.pointee = nil
    outCount.pointee = 0
    guard let request, count > 0, let binding = CallSlotTable.shared.binding(ctxValue(ctx)) else {
        return RENUM_PLUGIN_RESULT_INVALID_ARGUMENT
    }
    if binding.cancellation?.isRaised == true { return RENUM_PLUGIN_RESULT_CANCELLED }
    let bytes = [UInt8](UnsafeRawBufferPointer(start: request, count: count))
    let answer = binding.plugin.services.httpRequest(bytes, call: binding.callInfo)
    switch answer {
    case .denied: break
    default:
        let sent = EgressSize.bodyBytes(of: bytes)
        var received = 0
        if case .ok(let response) = answer { received = EgressSize.bodyBytes(of: response) }
        _ = CallSlotTable.shared.withLiveCall(ctxValue(ctx)) { state in
            state.egressRequests += 1
            state.egressBytesOut += sent
            state.egressBytesIn += received
        }
    }
    return deliver(answer, out, outCount)
}

private let hostGetCredential: renum_host_get_credential_fn = { ctx, service, count, out, outCount in
    guard let out, let outCount else { return RENUM_PLUGIN_RESULT_INVALID_ARGUMENT }
    out.pointee = nil
    outCount.pointee = 0
    guard let serviceType = text(service, count), !serviceType.isEmpty,
          let binding = CallSlotTable.shared.binding(ctxValue(ctx)) else {
        return RENUM_PLUGIN_RESULT_INVALID_ARGUMENT
    }
    return deliver(binding.plugin.services.credential(serviceType: serviceType, call: binding.callInfo), out, outCount)
}

private let hostMeter: renum_host_meter_fn = { ctx, unit, count, quantity in
    guard let name = text(unit, count), !name.isEmpty, quantity.isFinite, quantity >= 0 else {
        return RENUM_PLUGIN_RESULT_INVALID_ARGUMENT
    }
    let recorded: Bool? = CallSlotTable.shared.withLiveCall(ctxValue(ctx)) { state in
        state.hostCalls += 1
        state.units[name, default: 0] += quantity
        return true
    }
    return recorded == nil ? RENUM_PLUGIN_RESULT_INVALID_ARGUMENT : RENUM_PLUGIN_RESULT_OK
}

/// A stale or forged ctx reads as cancelled: whoever holds it should stop.
private let hostIsCancelled: renum_host_is_cancelled_fn = { ctx in
    let cancelled: Bool? = CallSlotTable.shared.withLiveCall(ctxValue(ctx)) { state in
        state.hostCalls += 1
        return state.cancellation?.isRaised ?? false
    }
    return cancelled == false ? 0 : 1
}

private let hostNow: renum_host_now_fn = { ctx in
    if ctx != nil { _ = CallSlotTable.shared.withLiveCall(ctxValue(ctx)) { $0.hostCalls += 1 } }
    return Clock.realtimeNanoseconds()
}

private let hostFreeBuffer: renum_host_free_buffer_fn = { buffer, _ in
    free(buffer)
}
