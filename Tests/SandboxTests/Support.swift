import Foundation
import Synchronization
import RenumCore
import RenumManifest
import RenumObservability
import RenumRuntime
import RenumSandbox
import RenumTestSupport

/// The repository root, from this file's path (Tests/SandboxTests/Support.swift).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

struct CommandFailure: Error, CustomStringConvertible { let description: String }

/// Runs a command, returns its stdout; throws with its stderr when it fails.
@discardableResult
func run(_ executable: String, _ arguments: [String]) throws -> String {
    let result = try ChildProcess.run("/usr/bin/env", [executable] + arguments)
    guard result.status == 0 else {
        throw CommandFailure(description: "\(executable) failed: \(result.stderr)")
    }
    return result.stdout
}

/// A compiled plugin with its registry entry.
struct BuiltPlugin: Sendable {
    let path: String
    let sha256: String
    let manifest: PluginManifest
}

/// Compiles and caches test plugins in one directory for the whole run.
enum Plugins {
    static let directory = TemporaryDirectory(prefix: "renum-sandbox-test")
    /// Tests run in parallel: one compiles, the others wait for the finished file.
    static let building = Mutex<Void>(())

    static func sha256(_ path: String) throws -> String {
        String(try run("sha256sum", [path]).prefix(64))
    }

    /// Plugins/examples/hostile with `version` in its manifest (embedded and registry).
    static func hostile(version: String = "1.0.0", timeoutMilliseconds: Int = 1500) throws -> BuiltPlugin {
        try building.withLock { _ in try buildHostile(version: version, timeoutMilliseconds: timeoutMilliseconds) }
    }

    private static func buildHostile(version: String, timeoutMilliseconds: Int) throws -> BuiltPlugin {
        var text = try String(contentsOf: repositoryRoot.appendingPathComponent("Plugins/examples/hostile/manifest.json"), encoding: .utf8)
        text = text.replacingOccurrences(of: #""version": "1.0.0""#, with: #""version": "\#(version)""#)
            .replacingOccurrences(of: #""timeout_ms": 1500"#, with: #""timeout_ms": \#(timeoutMilliseconds)"#)
        let name = "libhostile-\(version)-\(timeoutMilliseconds).so"
        let output = directory.file(name)
        if !FileManager.default.fileExists(atPath: output) {
            _ = try CTestPlugin.compile(manifestText: text, directory: directory.path, name: name, source: "Plugins/examples/hostile/hostile.c")
        }
        return BuiltPlugin(path: output, sha256: try sha256(output), manifest: try PluginManifest.parse(text))
    }

    /// Plugins/examples/c-echo, the healthy neighbour.
    static func echo() throws -> BuiltPlugin {
        try building.withLock { _ in try buildEcho() }
    }

    private static func buildEcho() throws -> BuiltPlugin {
        let output = directory.file("libexample-c-echo.so")
        if !FileManager.default.fileExists(atPath: output) {
            try run("cc", ["-std=c99", "-shared", "-fPIC", "-I", repositoryRoot.appendingPathComponent("SDK/c/include").path,
                           repositoryRoot.appendingPathComponent("Plugins/examples/c-echo/echo.c").path, "-o", output])
        }
        let manifest = try PluginManifest.parse([UInt8](Data(contentsOf: repositoryRoot.appendingPathComponent("Plugins/examples/c-echo/manifest.json"))))
        return BuiltPlugin(path: output, sha256: try sha256(output), manifest: manifest)
    }
}

/// The host's policy double (the real egress and vault live on other branches): refuses
/// every HTTP request (EGRESS_DENIED) and every credential the manifest does not declare
/// (CREDENTIAL_NOT_DECLARED), and records what reached it.
final class PolicyDouble: HostServices {
    struct Seen: Sendable {
        var urls: [String] = []
        var credentials: [String] = []
        var logLines = 0
        var logBytes = 0
        var warnings: [String] = []
        var callIDs: Set<String> = []
    }

    let seen = Mutex(Seen())

    func httpRequest(_ requestJSON: [UInt8], call: CallInfo) -> HostCallResult {
        let url = JSONText.decode(String(decoding: requestJSON, as: UTF8.self))?["url"]?.stringValue ?? "?"
        seen.withLock { $0.urls.append(url); $0.callIDs.insert(call.requestID ?? "") }
        return .denied(code: "EGRESS_DENIED", message: "\(url) is not in policy.allowed_hosts")
    }

    func credential(serviceType: String, call: CallInfo) -> HostCallResult {
        seen.withLock { $0.credentials.append(serviceType) }
        guard call.manifest.requiredCredentials.contains(serviceType) else {
            return .denied(code: "CREDENTIAL_NOT_DECLARED", message: "'\(serviceType)' is not declared")
        }
        return .notFound
    }

    func log(_ level: PluginLogLevel, _ message: String, call: CallInfo?) {
        seen.withLock {
            if level == .warning { $0.warnings.append(message) } else if call != nil { $0.logLines += 1; $0.logBytes += message.utf8.count }
        }
    }
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}

func callInfo(_ manifest: PluginManifest, _ capability: String, requestID: String = "test") -> CallInfo {
    CallInfo(agentID: manifest.agentID, version: manifest.version, capability: capability, userID: nil, requestID: requestID, manifest: manifest)
}

func startWorker(_ plugin: BuiltPlugin, services: any HostServices = PolicyDouble(), queueLimit: Int = 16) async throws -> PluginWorker {
    try await PluginWorker.start(manifest: plugin.manifest, artifactPath: plugin.path, sha256: plugin.sha256, services: services,
                                 options: WorkerOptions(executablePath: try RenumProcess.executablePath(), queueLimit: queueLimit))
}

extension WorkerInvocationResult {
    var code: String { result.outcome.code }
    var message: String {
        if case .failure(_, let message, _) = result.outcome { return message }
        return ""
    }
    var json: JSONValue? { result.output.flatMap { JSONText.decode(String(decoding: $0, as: UTF8.self)) } }
}

/// True while a process with `pid` exists (kill(pid, 0)).
func processExists(_ pid: Int32) -> Bool { kill(pid, 0) == 0 }
