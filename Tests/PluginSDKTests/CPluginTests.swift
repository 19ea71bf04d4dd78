import Foundation
import Testing
import CRenumPlugin
@testable import RenumPluginSDK

/// The C example plugin, compiled at test time exactly as the header tells a stranger to.
@Suite struct CPluginTests {
    static func build(into directory: URL) throws -> URL {
        let library = directory.appendingPathComponent("libexample-c-echo.so")
        try run("cc", ["-std=c99", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC",
                       "-I", repositoryRoot.appendingPathComponent("SDK/c/include").path,
                       repositoryRoot.appendingPathComponent("Plugins/examples/c-echo/echo.c").path,
                       "-o", library.path])
        return library
    }

    @Test func buildsLoadsAnswersAndUnloads() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let library = try Self.build(into: directory)

        // A C image may be dlclosed (after on_shutdown); a Swift image never.
        let handle = try #require(dlopen(library.path, RTLD_NOW | RTLD_LOCAL), "dlopen: \(String(cString: dlerror()))")
        defer { dlclose(handle) }
        let symbol = try #require(dlsym(handle, RENUM_PLUGIN_ENTRY_SYMBOL))
        let entry = unsafeBitCast(symbol, to: renum_plugin_entry_fn.self)
        let descriptorPointer = try #require(entry())
        #expect(entry() == descriptorPointer)
        let descriptor = descriptorPointer.pointee
        #expect(descriptor.magic == RENUM_PLUGIN_MAGIC)
        #expect(descriptor.struct_size == Int(RENUM_PLUGIN_DESCRIPTOR_SIZE_1_0))
        #expect(descriptor.abi_major == 1 && descriptor.abi_minor == 0)

        // The embedded manifest is the one next to the source.
        let embedded = String(decoding: UnsafeRawBufferPointer(start: descriptor.manifest_json, count: descriptor.manifest_json_len), as: UTF8.self)
        let onDisk = try String(contentsOf: repositoryRoot.appendingPathComponent("Plugins/examples/c-echo/manifest.json"), encoding: .utf8)
        #expect(try json(embedded) == json(onDisk))

        let host = FakeHost(now: 42_000_000_001) { request in
            HTTPResponse(status: 200, headers: ["x-seen": request.method], body: "pong")
        }
        do {
            let plugin = try host.load(descriptor: UnsafeRawPointer(descriptorPointer))
            defer { plugin.shutdown() }

            #expect(try json(plugin.invoke("echo", json: #"{"x": [1, 2]}"#).get()) == json(#"{"echo": {"x": [1, 2]}}"#))
            #expect(try plugin.invoke("echo", json: #""héllo""#).get() == #"{"echo":"héllo"}"#)
            #expect(plugin.invoke("fail", json: "{}").failure == PluginError(code: "EXAMPLE_FAILURE", message: "the fail capability always fails"))
            #expect(plugin.invoke("nope", json: "{}").failure?.code == "UNKNOWN_CAPABILITY")

            #expect(try plugin.invoke("whoami", json: "{}").get() == #"{"agent_id":"example-c-echo","now_ns":42000000001}"#)
            #expect(host.meters == [.init(unit: "greeting", quantity: 1, capability: "whoami")])
            #expect(host.logs.map { $0.message } == ["example-c-echo: initialised", "whoami called"])
            #expect(host.logs.map { $0.capability } == [nil, "whoami"])

            let response = try json(plugin.invoke("fetch", json: #"{"method": "PUT", "url": "http://127.0.0.1:9/x"}"#).get())
            #expect(try response == json(#"{"status": 200, "headers": {"x-seen": "PUT"}, "body": "pong"}"#))
            #expect(plugin.invoke("fetch", json: #"{"url": "http://example.com/"}"#).failure?.code == "EGRESS_DENIED")
            #expect(host.misuses.isEmpty)
        }
    }

    /// Many threads on one C instance (its manifest allows max_concurrency 16).
    @Test func concurrentCalls() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let library = try Self.build(into: directory)
        let plugin = try FakeHost().load(libraryAt: library.path)
        defer { plugin.shutdown() }
        let outputs = UnsafeMutableBufferPointer<Bool>.allocate(capacity: 200)
        defer { outputs.deallocate() }
        nonisolated(unsafe) let results = outputs
        DispatchQueue.concurrentPerform(iterations: 200) { index in
            results[index] = (try? plugin.invoke("echo", json: "\(index)").get()) == "{\"echo\":\(index)}"
        }
        #expect(outputs.allSatisfy { $0 })
    }
}
