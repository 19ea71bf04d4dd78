// The C baseline: the plugin's own functions called through the descriptor with no host
// in between (no slot, no clocks, no checks). Bench-only code: it reads the 1.0 descriptor
// by its documented LP64 offsets (renum_plugin.h) instead of importing the ABI module.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

final class DirectCall {
    typealias Invoke = @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, UnsafePointer<CChar>?, Int,
                                       UnsafePointer<CChar>?, Int, UnsafeMutableRawPointer?) -> Int32
    typealias Free = @convention(c) (UnsafeMutablePointer<CChar>?, Int) -> Void
    typealias Entry = @convention(c) () -> UnsafeRawPointer?

    let onInvoke: Invoke
    let onFree: Free
    let output = UnsafeMutableRawPointer.allocate(byteCount: 56, alignment: 8)
    let capability = Array("noop".utf8CString)

    init(path: String) {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE),
              let symbol = dlsym(handle, "renum_plugin_entry"),
              let descriptor = unsafeBitCast(symbol, to: Entry.self)() else { fatalError("cannot open \(path) directly") }
        // Offsets of on_invoke and on_free in renum_plugin_descriptor 1.0 (LP64).
        onInvoke = unsafeBitCast(descriptor.load(fromByteOffset: 48, as: UnsafeRawPointer.self), to: Invoke.self)
        onFree = unsafeBitCast(descriptor.load(fromByteOffset: 56, as: UnsafeRawPointer.self), to: Free.self)
    }

    @inline(never)
    func call(_ input: [UInt8]) -> Bool {
        output.initializeMemory(as: UInt8.self, repeating: 0, count: 56)
        output.storeBytes(of: 56, as: Int.self)
        let result = capability.withUnsafeBufferPointer { name in
            input.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { bytes in
                    onInvoke(nil, nil, name.baseAddress, 4, bytes.baseAddress, bytes.count, output)
                }
            }
        }
        let json = output.load(fromByteOffset: 8, as: UnsafeMutablePointer<CChar>?.self)
        let length = output.load(fromByteOffset: 16, as: Int.self)
        let copy = json.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: length)) }
        onFree(json, length)
        return result == 0 && copy?.count == 2
    }
}

/// Lowercase hex SHA-256 of a file, via sha256sum (the bench has no crypto dependency).
func sha256Hex(_ path: String) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sha256sum", path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try? process.run()
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return String(text.prefix(64))
}
