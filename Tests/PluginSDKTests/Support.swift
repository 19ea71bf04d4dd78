import Foundation
import RenumSandbox
import Testing
import CRenumPlugin
@testable import RenumPluginSDK

/// The repository root, from this file's path (Tests/PluginSDKTests/Support.swift).
let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

struct CommandFailure: Error, CustomStringConvertible {
    let description: String
}

/// Runs a command, returns its stdout; throws with stderr when it fails.
@discardableResult
func run(_ executable: String, _ arguments: [String]) throws -> String {
    let result = try ChildProcess.run("/usr/bin/env", [executable] + arguments)
    guard result.status == 0 else {
        throw CommandFailure(description: "\(executable) \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)")
    }
    return result.stdout
}

/// A fresh temporary directory.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("renum-sdk-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Parses JSON text into a JSONValue (for order-insensitive comparisons).
func json(_ text: String) throws -> JSONValue { try JSONValue(json: text) }

/// The built Swift example plugin, libexample-echo.so, next to this test bundle
/// (.build/<triple>/debug/), or in the repository's .build/debug.
func builtExamplePlugin() throws -> URL { try builtPlugin(named: "example-echo") }

/// A plugin product `swift build` put beside the test binary (lib<name>.so).
func builtPlugin(named product: String) throws -> URL {
    let file = "lib\(product).so"
    var candidates: [URL] = []
    if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
        var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
        // The bundle may be a directory (…/renumPackageTests.xctest/…) on some layouts.
        for _ in 0..<3 {
            candidates.append(directory.appendingPathComponent(file))
            directory = directory.deletingLastPathComponent()
        }
    }
    candidates.append(repositoryRoot.appendingPathComponent(".build/debug/\(file)"))
    if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) { return found }
    throw CommandFailure(description: "\(file) not found (looked in \(candidates.map(\.path))): run `swift build` first so the \(product) product exists")
}
