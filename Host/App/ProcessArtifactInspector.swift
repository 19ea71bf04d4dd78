import Foundation
import RenumSandbox
import RenumCore
import RenumManifest
import RenumRegistry

/// Checks an uploaded artifact in a throwaway `renum plugin validate` process, so that a
/// hostile or broken library (its constructors run at dlopen) can never touch the server.
struct ProcessArtifactInspector: ArtifactInspector {
    /// The renum executable (the server's own, normally /proc/self/exe).
    let executablePath: String
    let timeoutSeconds: Double

    func inspect(artifactPath: String, sha256: String, manifest: PluginManifest) async throws(RegistryRefusal) {
        let manifestFile = NSTemporaryDirectory() + "renum-manifest-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: manifestFile) }
        do {
            try manifest.canonicalJSON.write(toFile: manifestFile, atomically: true, encoding: .utf8)
        } catch {
            throw RegistryRefusal(code: "INSPECTION_FAILED", message: "could not prepare the inspection")
        }
        let arguments = ["plugin", "validate", artifactPath, "--manifest", manifestFile, "--sha256", sha256, "--json"]
        let outcome: (status: Int32, output: String, timedOut: Bool)
        do {
            outcome = try await Self.run(executablePath, arguments, timeout: timeoutSeconds)
        } catch {
            throw RegistryRefusal(code: "INSPECTION_FAILED", message: "the inspection process could not start")
        }
        if outcome.timedOut {
            throw RegistryRefusal(code: "INSPECTION_TIMEOUT", message: "loading the artifact took longer than \(Int(timeoutSeconds)) s")
        }
        let report = outcome.output.split(separator: "\n").last.flatMap { JSONText.decode(String($0)) }
        if outcome.status == 0, report?["valid"]?.boolValue == true { return }
        if let code = report?["code"]?.stringValue, let message = report?["message"]?.stringValue {
            throw RegistryRefusal(code: code, message: message)
        }
        // No report: the process died inside the plugin (a crash at load is a refusal, not our failure).
        throw RegistryRefusal(code: "PLUGIN_CRASHED", message: "the artifact crashed the inspection process (exit status \(outcome.status))")
    }

    static func run(_ path: String, _ arguments: [String], timeout: Double) async throws -> (status: Int32, output: String, timedOut: Bool) {
        // ChildProcess, not Foundation's Process, whose run() can crash the whole host on Linux.
        let child = try ChildProcess(path, arguments, environment: ["PATH": "/usr/bin:/bin"], stdout: .capture, stderr: .discard)
        let deadline = Date().addingTimeInterval(timeout)
        while child.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        let timedOut = child.isRunning
        if timedOut { child.signal(SIGKILL) }
        let status = await withCheckedContinuation { (done: CheckedContinuation<Int32, Never>) in
            Thread { done.resume(returning: child.waitUntilExit()) }.start()
        }
        return (status, String(decoding: child.output(), as: UTF8.self), timedOut)
    }
}
