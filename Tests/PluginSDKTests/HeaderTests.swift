import Foundation
import Testing
import CRenumPlugin
@testable import RenumPluginSDK
@testable import ExampleEcho

@Suite struct HeaderTests {
    /// Any change to renum_plugin.h must come with a version decision: bump
    /// RENUM_PLUGIN_ABI_MINOR for an append-only change (new members at the END of a
    /// struct, new result codes), RENUM_PLUGIN_ABI_MAJOR for anything else; then update
    /// this digest (and the version in its name) in the same commit.
    @Test func headerIsFrozenForABI_1_0() throws {
        let header = repositoryRoot.appendingPathComponent("SDK/c/include/renum_plugin.h").path
        let digest = try run("sha256sum", [header]).split(separator: " ").first.map(String.init)
        #expect(RENUM_PLUGIN_ABI_MAJOR == 1 && RENUM_PLUGIN_ABI_MINOR == 0)
        #expect(digest == "3bd676bed561f64c325eeec4dcf092e582fc7f063992a3bfa59a440fec82ed12", "renum_plugin.h changed: decide the ABI version (see the comment above), then update the digest")
    }

    @Test func sizesAndOffsetsMatchTheHeader() {
        #expect(MemoryLayout<renum_plugin_descriptor>.size == Int(RENUM_PLUGIN_DESCRIPTOR_SIZE_1_0))
        #expect(MemoryLayout<renum_host_api>.size == Int(RENUM_HOST_API_SIZE_1_0))
        #expect(MemoryLayout<renum_plugin_invoke_output>.size == Int(RENUM_PLUGIN_INVOKE_OUTPUT_SIZE_1_0))
        #expect(MemoryLayout<renum_plugin_descriptor>.offset(of: \.magic) == 0)
        #expect(MemoryLayout<renum_plugin_descriptor>.offset(of: \.struct_size) == 8)
        #expect(MemoryLayout<renum_plugin_descriptor>.offset(of: \.abi_major) == 16)
        #expect(MemoryLayout<renum_plugin_descriptor>.offset(of: \.manifest_json) == 24)
        #expect(MemoryLayout<renum_plugin_descriptor>.offset(of: \.on_shutdown) == 64)
        #expect(MemoryLayout<renum_host_api>.offset(of: \.struct_size) == 0)
        #expect(MemoryLayout<renum_host_api>.offset(of: \.log) == 16)
        #expect(MemoryLayout<renum_host_api>.offset(of: \.free_buffer) == 64)
        #expect(MemoryLayout<renum_plugin_result>.size == 4)
    }

    @Test func compatibilityRule() {
        #expect(renum_plugin_abi_compatible(1, 0, 1, 0) == 1)
        #expect(renum_plugin_abi_compatible(1, 3, 1, 2) == 1)
        #expect(renum_plugin_abi_compatible(1, 0, 1, 1) == 0)   // plugin newer than host
        #expect(renum_plugin_abi_compatible(1, 0, 2, 0) == 0)   // other major
        #expect(renum_plugin_abi_compatible(2, 0, 1, 0) == 0)
        #expect(String(RENUM_PLUGIN_MAGIC, radix: 16) == "52454e554d504c47")
        #expect(RENUM_PLUGIN_ENTRY_SYMBOL == "renum_plugin_entry")
    }

    /// The header compiles as strict C99 and as C++ (extern "C"), alone.
    @Test func headerCompilesAsC99AndCxx() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = directory.appendingPathComponent("check.c")
        try "#include \"renum_plugin.h\"\nint main(void) { return renum_plugin_abi_compatible(1, 0, 1, 0) ? 0 : 1; }\n"
            .write(to: source, atomically: true, encoding: .utf8)
        let include = repositoryRoot.appendingPathComponent("SDK/c/include").path
        try run("cc", ["-std=c99", "-Wall", "-Wextra", "-pedantic", "-Werror", "-I", include, "-c", source.path,
                       "-o", directory.appendingPathComponent("check.o").path])
        if (try? run("which", ["c++"])) != nil {
            try run("c++", ["-x", "c++", "-std=c++11", "-Wall", "-Werror", "-I", include, "-c", source.path,
                            "-o", directory.appendingPathComponent("check-cxx.o").path])
        }
    }

    /// A host refuses descriptors with a bad magic, a size below 1.0, or an incompatible ABI.
    @Test func refusesIncompatibleDescriptors() throws {
        let good = RenumPluginExport.descriptor(for: SwiftEchoPlugin.self)
            .assumingMemoryBound(to: renum_plugin_descriptor.self).pointee
        func refusal(_ change: (inout renum_plugin_descriptor) -> Void) -> String? {
            var copy = good
            change(&copy)
            do {
                _ = try withUnsafePointer(to: &copy) { try FakeHost().load(descriptor: UnsafeRawPointer($0)) }
                return nil
            } catch let error as FakeHost.LoadError {
                return error.code
            } catch {
                return "\(error)"
            }
        }
        #expect(refusal { $0.magic = 0x1234 } == "BAD_MAGIC")
        #expect(refusal { $0.struct_size = 40 } == "DESCRIPTOR_TOO_SMALL")
        #expect(refusal { $0.abi_major = 2 } == "ABI_INCOMPATIBLE")
        #expect(refusal { $0.abi_minor = UInt32(RENUM_PLUGIN_ABI_MINOR) + 1 } == "ABI_INCOMPATIBLE")
        #expect(refusal { $0.on_invoke = nil } == "MISSING_FUNCTION")
        #expect(refusal { $0.manifest_json_len = 1 } == "BAD_MANIFEST")
        #expect(refusal { _ in } == nil)
    }
}
