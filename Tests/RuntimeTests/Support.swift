import Foundation
import RenumSandbox

/// The repository root, from this file's path (Tests/RuntimeTests/Support.swift).
let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

import RenumCore
import RenumManifest
import RenumObservability
import RenumRuntime
import RenumSecurity
import RenumTestSupport
import Synchronization

struct CommandFailure: Error, CustomStringConvertible { let description: String }

/// Runs a command; throws with its stderr when it fails.
func run(_ executable: String, _ arguments: [String]) throws {
    let result = try ChildProcess.run("/usr/bin/env", [executable] + arguments)
    guard result.status == 0 else {
        throw CommandFailure(description: "\(executable) \(arguments.joined(separator: " ")) failed: \(result.stderr)")
    }
}

/// The test plugin's manifest (Plugins/examples/test-plugin), parameterised.
func testManifestText(agentID: String = "test-plugin", version: String = "1.0.0", maxConcurrency: Int = 4,
                      timeoutMs: Int = 300, typedInput: String = #"{"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}"#) -> String {
    func cap(_ name: String, _ input: String = "{}", _ output: String = "{}") -> String {
        #"{"name": "\#(name)", "description": "test", "input_schema": \#(input), "output_schema": \#(output)}"#
    }
    let typedOutput = #"{"type": "object", "required": ["n"]}"#
    let capabilities = [cap("noop"), cap("typed", typedInput, typedOutput), cap("badout", "{}", typedOutput), cap("garbage"),
                        cap("weird"), cap("fail"), cap("slow"), cap("metered"), cap("stale"), cap("config"), cap("http"),
                        cap("cred"), cap("stats")].joined(separator: ",\n")
    return """
    {"agent_id": "\(agentID)", "version": "\(version)", "name": "Test plugin", "description": "for the runtime tests",
     "capabilities": [\(capabilities)],
     "required_credentials": ["svc"],
     "policy": {"isolation": "inprocess", "timeout_ms": \(timeoutMs), "max_concurrency": \(maxConcurrency), "allowed_hosts": ["127.0.0.1"]},
     "cost_per_execution": 1, "unit_prices": {"tokens": 0.5}}
    """
}

/// A built test plugin: its path, digest and the registry manifest to load it with.
struct BuiltPlugin {
    let path: String
    let sha256: String
    let manifest: PluginManifest
}

/// Compiles Plugins/examples/test-plugin with `manifestText` embedded and `flags`.
func buildTestPlugin(_ directory: TemporaryDirectory, name: String = "libtest.so", manifestText: String = testManifestText(),
                     flags: [String] = [], registryText: String? = nil) throws -> BuiltPlugin {
    let output = try CTestPlugin.compile(manifestText: manifestText, directory: directory.path, name: name, flags: flags)
    return BuiltPlugin(path: output, sha256: try sha256(ofFile: output), manifest: try PluginManifest.parse(registryText ?? manifestText))
}

func sha256(ofFile path: String) throws -> String {
    Hex.encode(Crypto.sha256([UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))))
}

/// Log records kept for assertions.
final class CapturingSink: LogSink {
    let records = Mutex<[LogRecord]>([])
    func write(_ record: LogRecord) { records.withLock { $0.append(record) } }
    var all: [LogRecord] { records.withLock { $0 } }
}

func testLogger(_ sink: CapturingSink = CapturingSink()) -> Logger {
    Logger(label: "runtime-test", sink: sink, minimumLevel: .debug)
}

func json(_ bytes: [UInt8]?) -> JSONValue? {
    bytes.flatMap { try? JSONParser.parse($0) }
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}

/// The built Swift example plugin, libexample-echo.so, beside the test binary
/// (.build/<triple>/debug/) or in the repository's .build/debug.
func builtSwiftExample() throws -> String {
    var candidates: [URL] = []
    if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
        var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
        for _ in 0..<3 {
            candidates.append(directory.appendingPathComponent("libexample-echo.so"))
            directory = directory.deletingLastPathComponent()
        }
    }
    candidates.append(repositoryRoot.appendingPathComponent(".build/debug/libexample-echo.so"))
    if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) { return found.path }
    throw CommandFailure(description: "libexample-echo.so not found (looked in \(candidates.map(\.path))): run `swift build` first so the example-echo product exists")
}
