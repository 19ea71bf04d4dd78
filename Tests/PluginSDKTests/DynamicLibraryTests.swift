import Foundation
import Testing
import CRenumPlugin
@testable import RenumPluginSDK
@testable import ExampleEcho

typealias SwiftEchoPluginInTestBinary = SwiftEchoPlugin

/// The Swift example plugin as the server sees it: the built libexample-echo.so,
/// dlopened RTLD_NOW|RTLD_LOCAL|RTLD_NODELETE (never dlclosed), called through its descriptor.
@Suite struct DynamicLibraryTests {
    @Test func builtSwiftPluginLoadsAndAnswers() throws {
        let library = try builtExamplePlugin()
        let host = FakeHost(now: 7)
        let plugin = try host.load(libraryAt: library.path, configuration: #"{"greeting": "from the .so"}"#)
        #expect(try json(plugin.manifest)["agent_id"] == .string("example-swift-echo"))
        #expect(try json(plugin.invoke("echo", json: "[1,2,3]").get()) == json(#"{"echo": [1, 2, 3]}"#))
        #expect(plugin.invoke("fail", json: "{}").failure?.code == "EXAMPLE_FAILURE")
        #expect(plugin.invoke("slow", json: #"{"ms": "x"}"#).failure?.code == "INVALID_INPUT")
        let whoami = try json(plugin.invoke("whoami", json: "{}").get())
        #expect(whoami["greeting"] == .string("from the .so"))
        #expect(whoami["now_ns"] == .number(7))
        #expect(try json(plugin.invoke("slow", json: #"{"ms": 3000}"#, timeoutMs: 20).get())["cancelled"] == .bool(true))
        #expect(host.logs.map { $0.message } == ["example-swift-echo: initialised", "whoami called"])
        #expect(host.meters.map { $0.unit } == ["greeting"])
        plugin.shutdown()
    }

    /// Two copies of the same Swift plugin (same type names, same entry symbol, same SDK
    /// symbols) side by side with RTLD_LOCAL, next to the copy linked into this test binary:
    /// each image keeps its own SDK state and answers as itself.
    @Test func twoImagesOfOneSwiftPluginLiveSideBySide() throws {
        let library = try builtExamplePlugin()
        let directory = try temporaryDirectory()
        let first = directory.appendingPathComponent("v1/libexample-echo.so")
        let second = directory.appendingPathComponent("v2/libexample-echo.so")
        for copy in [first, second] {
            try FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: library, to: copy)
        }
        let host = FakeHost()
        let one = try host.load(libraryAt: first.path, configuration: #"{"greeting": "one"}"#)
        let two = try host.load(libraryAt: second.path, configuration: #"{"greeting": "two"}"#)
        let here = try host.load(SwiftEchoPluginInTestBinary.self, configuration: #"{"greeting": "here"}"#)

        let entries = try [first, second].map { path -> UnsafeRawPointer in
            let handle = try #require(dlopen(path.path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE))
            return UnsafeRawPointer(try #require(dlsym(handle, RENUM_PLUGIN_ENTRY_SYMBOL)))
        }
        #expect(entries[0] != entries[1], "the two copies must be distinct images")

        for _ in 0..<3 {
            #expect(try json(one.invoke("whoami", json: "{}").get())["greeting"] == .string("one"))
            #expect(try json(two.invoke("whoami", json: "{}").get())["greeting"] == .string("two"))
            #expect(try json(here.invoke("whoami", json: "{}").get())["greeting"] == .string("here"))
        }
        one.shutdown()
        #expect(try json(two.invoke("echo", json: "2").get()) == json(#"{"echo": 2}"#))
    }
}
