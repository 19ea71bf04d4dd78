import Foundation
import RenumSandbox

/// The repository this test code lives in.
public enum Repository {
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// Builds Plugins/examples/test-plugin (plain C) with a manifest of the test's choosing,
/// so tests get real shared libraries for any agent id, version or defect.
public enum CTestPlugin {
    /// Compiles the test plugin into `directory/name` with `manifestText` embedded and `flags`
    /// (see the knobs at the top of test_plugin.c); returns the library's path.
    /// `source` is relative to the repository (another test plugin, e.g. the hostile one, can be built the same way).
    public static func compile(manifestText: String, directory: String, name: String, flags: [String] = [],
                               source: String = "Plugins/examples/test-plugin/test_plugin.c") throws -> String {
        let include = directory + "/inc-" + name
        try FileManager.default.createDirectory(atPath: include, withIntermediateDirectories: true)
        let literal = "\"" + manifestText.unicodeScalars.map { scalar -> String in
            switch scalar {
            case "\"": return "\\\""
            case "\\": return "\\\\"
            case "\n": return "\\n"
            default: return String(scalar)
            }
        }.joined() + "\""
        try literal.write(toFile: include + "/manifest.inc", atomically: true, encoding: .utf8)
        let output = directory + "/" + name
        try run("/usr/bin/cc", ["-std=c11", "-O1", "-shared", "-fPIC", "-I", Repository.root.appendingPathComponent("SDK/c/include").path,
                                "-I", include] + flags + [Repository.root.appendingPathComponent(source).path,
                                                          "-o", output])
        return output
    }

    /// Runs a tool to completion; throws with its output when it fails.
    public static func run(_ executable: String, _ arguments: [String]) throws {
        let child = try ChildProcess(executable, arguments, stdout: .capture, stderr: .toStdout)
        let status = child.waitUntilExit()
        guard status == 0 else {
            throw TestClientError(description: "\(executable) failed (\(status)): \(String(decoding: child.output(), as: UTF8.self))")
        }
    }
}
