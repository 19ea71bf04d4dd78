// Reading and checking the C descriptor a plugin's entry point returns, and calling the
// plugin's lifecycle functions. The only file besides HostTable.swift and LoadedPlugin+Call.swift
// that touches plugin pointers.
import Synchronization
import RenumManifest
internal import CRenumPlugin

/// The plugin's functions and instance, copied out of the descriptor once checked.
struct PluginFunctions: @unchecked Sendable {
    // @unchecked: C function pointers into an image that is never unloaded, and the
    // plugin's opaque instance, which the ABI makes thread-safe for on_invoke.
    let onInvoke: renum_plugin_on_invoke_fn
    let onFree: renum_plugin_on_free_fn
    let onShutdown: renum_plugin_on_shutdown_fn
    var instance: UnsafeMutableRawPointer?
}

/// Serialises on_init and on_shutdown, so log(NULL, …) can be attributed.
let pluginLifecycleLock = Mutex<Void>(())

/// A checked descriptor: ABI, functions and the embedded manifest bytes.
struct PluginDescriptor {
    let abiMajor: UInt32
    let abiMinor: UInt32
    let onInit: renum_plugin_on_init_fn
    let functions: PluginFunctions
    let manifestBytes: [UInt8]

    /// Runs the checks in the loader's order: BAD_MAGIC, DESCRIPTOR_TOO_SMALL,
    /// ABI_INCOMPATIBLE, MISSING_FUNCTION, BAD_MANIFEST (no manifest bytes).
    static func check(_ entry: renum_plugin_entry_fn) throws(LoadError) -> PluginDescriptor {
        guard let raw = entry() else { throw LoadError(code: "BAD_MAGIC", message: "\(RENUM_PLUGIN_ENTRY_SYMBOL) returned NULL") }
        // Read field by field: the size is only trusted after the magic, the rest after the size.
        let base = UnsafeRawPointer(raw)
        let magic = base.loadUnaligned(as: UInt64.self)
        guard magic == RENUM_PLUGIN_MAGIC else {
            throw LoadError(code: "BAD_MAGIC", message: "descriptor magic is 0x\(String(magic, radix: 16)), expected 0x\(String(RENUM_PLUGIN_MAGIC, radix: 16)) (\"RENUMPLG\")")
        }
        let size = base.loadUnaligned(fromByteOffset: 8, as: Int.self)
        guard size >= Int(RENUM_PLUGIN_DESCRIPTOR_SIZE_1_0) else {
            throw LoadError(code: "DESCRIPTOR_TOO_SMALL", message: "descriptor struct_size is \(size); ABI 1.0 needs at least \(RENUM_PLUGIN_DESCRIPTOR_SIZE_1_0)")
        }
        let descriptor = raw.pointee
        let hostMajor = UInt32(RENUM_PLUGIN_ABI_MAJOR), hostMinor = UInt32(RENUM_PLUGIN_ABI_MINOR)
        guard renum_plugin_abi_compatible(hostMajor, hostMinor, descriptor.abi_major, descriptor.abi_minor) != 0 else {
            throw LoadError(code: "ABI_INCOMPATIBLE", message: "plugin built for ABI \(descriptor.abi_major).\(descriptor.abi_minor); this host speaks ABI \(hostMajor).\(hostMinor) (same major and plugin minor <= host minor required)")
        }
        var missing: [String] = []
        if descriptor.on_init == nil { missing.append("on_init") }
        if descriptor.on_invoke == nil { missing.append("on_invoke") }
        if descriptor.on_free == nil { missing.append("on_free") }
        if descriptor.on_shutdown == nil { missing.append("on_shutdown") }
        guard missing.isEmpty, let onInit = descriptor.on_init, let onInvoke = descriptor.on_invoke,
              let onFree = descriptor.on_free, let onShutdown = descriptor.on_shutdown else {
            throw LoadError(code: "MISSING_FUNCTION", message: "descriptor has NULL \(missing.joined(separator: ", "))")
        }
        guard let manifest = descriptor.manifest_json, descriptor.manifest_json_len > 0 else {
            throw LoadError(code: "BAD_MANIFEST", message: "the descriptor has no embedded manifest")
        }
        let bytes = [UInt8](UnsafeRawBufferPointer(start: manifest, count: descriptor.manifest_json_len))
        return PluginDescriptor(abiMajor: descriptor.abi_major, abiMinor: descriptor.abi_minor, onInit: onInit,
                                functions: PluginFunctions(onInvoke: onInvoke, onFree: onFree, onShutdown: onShutdown, instance: nil),
                                manifestBytes: bytes)
    }

    /// Calls on_init with the host table and `config`; INIT_FAILED carries the plugin's code and message.
    func initialize(config: [UInt8], context: PluginContext) throws(LoadError) -> PluginFunctions {
        var instance: UnsafeMutableRawPointer? = nil
        var error = renum_plugin_error()
        let result = pluginLifecycleLock.withLock { _ in
            lifecycleLogTarget.withLock { $0 = context }
            defer { lifecycleLogTarget.withLock { $0 = nil } }
            return config.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    onInit(HostTable.shared.pointer, chars.baseAddress, chars.count, &instance, &error)
                }
            }
        }
        let code = takeBuffer(error.code, error.code_len, functions.onFree)
        let message = takeBuffer(error.message, error.message_len, functions.onFree)
        guard result == RENUM_PLUGIN_RESULT_OK else {
            let pluginCode = code.map { String(decoding: $0, as: UTF8.self) } ?? ""
            let pluginMessage = message.map { String(decoding: $0, as: UTF8.self) } ?? ""
            throw LoadError(code: "INIT_FAILED", message: "on_init returned \(result.rawValue)"
                + (pluginCode.isEmpty ? "" : " with \(pluginCode)") + (pluginMessage.isEmpty ? "" : ": \(pluginMessage)"))
        }
        var functions = self.functions
        functions.instance = instance
        return functions
    }
}

/// Copies a plugin-owned buffer and releases it with on_free (exactly once, if non-NULL).
func takeBuffer(_ pointer: UnsafeMutablePointer<CChar>?, _ count: Int, _ onFree: renum_plugin_on_free_fn) -> [UInt8]? {
    guard let pointer else { return nil }
    let bytes = [UInt8](UnsafeRawBufferPointer(start: pointer, count: max(count, 0)))
    onFree(pointer, count)
    return bytes
}

extension PluginFunctions {
    /// Calls on_shutdown (serialised with other lifecycle calls, so log(NULL) is attributed).
    func shutdown(context: PluginContext) {
        pluginLifecycleLock.withLock { _ in
            lifecycleLogTarget.withLock { $0 = context }
            onShutdown(instance)
            lifecycleLogTarget.withLock { $0 = nil }
        }
    }
}
