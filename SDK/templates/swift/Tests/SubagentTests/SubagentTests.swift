import Foundation
import RenumPluginSDK
import Testing
@testable import Subagent

@Suite struct SubagentTests {
    /// Through the SDK's FakeHost: the same C descriptor path the server uses.
    @Test func helloGreets() throws {
        let host = FakeHost()
        let plugin = try host.load(Subagent.self, configuration: #"{"salutation": "Hi"}"#)
        let output = try plugin.invoke("hello", json: #"{"name": "Ada"}"#).get()
        #expect(output == #"{"greeting":"Hi, Ada!"}"#)
        #expect(host.meters.map(\.unit) == ["greetings"])
    }

    @Test func badInputIsRefused() throws {
        let plugin = try FakeHost().load(Subagent.self)
        #expect(plugin.invoke("hello", json: #"{"nom": "Ada"}"#).failureCode == "INVALID_INPUT")
    }

    /// The built shared library, as the server loads it (run `swift build` first).
    @Test func builtLibraryAnswers() throws {
        let library = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/lib__PLUGIN_NAME__.so")
        try #require(FileManager.default.fileExists(atPath: library.path), "run `swift build` first: \(library.path) is missing")
        let plugin = try FakeHost().load(libraryAt: library.path)
        #expect(try plugin.invoke("hello", json: #"{"name": "Ada"}"#).get() == #"{"greeting":"Hello, Ada!"}"#)
    }
}

extension Result where Failure == PluginError {
    var failureCode: String? {
        if case .failure(let error) = self { return error.code }
        return nil
    }
}
