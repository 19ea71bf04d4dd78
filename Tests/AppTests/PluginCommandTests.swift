import Foundation
import RenumSandbox
import RenumTestSupport
import Testing

/// `renum plugin …` as a plugin author runs it: the real executable, real files.
@Suite struct PluginCommandTests {
    func renum(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let child = try ChildProcess(try RenumProcess.executablePath(), arguments,
                                     environment: ["PATH": "/usr/bin:/bin"].merging(environment) { $1 }, stderr: .discard)
        let status = child.waitUntilExit()
        return (status, String(decoding: child.output(), as: UTF8.self))
    }

    @Test func validateInvokeAndPackACPlugin() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let library = try CTestPlugin.compile(manifestText: agentManifest("cli-agent", version: "1.2.3"), directory: directory.path, name: "libcli.so")
        let valid = try renum(["plugin", "validate", library])
        #expect(valid.status == 0)
        #expect(valid.output.contains("cli-agent 1.2.3"))

        let invoked = try renum(["plugin", "invoke", library, "typed", "--input", #"{"n": 42}"#])
        #expect(invoked.status == 0)
        let result = try JSONSerialization.jsonObject(with: Data(invoked.output.utf8)) as? [String: Any]
        #expect((result?["output"] as? [String: Any])?["n"] as? Int == 42)
        #expect((result?["metering"] as? [String: Any])?["cost"] as? Double == 0.25)

        let packed = try renum(["plugin", "pack", library, "--out", directory.file("out")])
        #expect(packed.status == 0)
        #expect(FileManager.default.fileExists(atPath: directory.file("out/cli-agent-1.2.3.so")))
        let manifest = try String(contentsOfFile: directory.file("out/cli-agent-1.2.3.manifest.json"), encoding: .utf8)
        #expect(manifest.contains(#""agent_id":"cli-agent""#))

        // The server's own inspection mode: JSON report, digest and registered manifest checked.
        try agentManifest("cli-agent", version: "2.0.0").write(toFile: directory.file("other.json"), atomically: true, encoding: .utf8)
        let mismatch = try renum(["plugin", "validate", library, "--manifest", directory.file("other.json"), "--json"])
        #expect(mismatch.status == 1)
        #expect(mismatch.output.contains("MANIFEST_MISMATCH"))
    }

    @Test func refusesWhatIsNotAPlugin() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try "not an ELF file".write(toFile: directory.file("junk.so"), atomically: true, encoding: .utf8)
        let refused = try renum(["plugin", "validate", directory.file("junk.so")])
        #expect(refused.status == 1)
        #expect(refused.output.contains("NOT_A_LIBRARY"))
    }

    @Test func newScaffoldsFromTheTemplates() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        for language in ["c", "swift"] {
            let created = try renum(["plugin", "new", "demo-\(language)", "--lang", language, "--dir", directory.path],
                                    environment: ["RENUM_SDK_DIR": Repository.root.path])
            #expect(created.status == 0)
        }
        let source = try String(contentsOfFile: directory.file("demo-c/plugin.c"), encoding: .utf8)
        #expect(source.contains("demo-c") && !source.contains("__PLUGIN_NAME__"))
        let package = try String(contentsOfFile: directory.file("demo-swift/Package.swift"), encoding: .utf8)
        #expect(package.contains(Repository.root.path) && !package.contains("__RENUM_CHECKOUT__"))
        #expect(try renum(["plugin", "new", "Bad Name"], environment: ["RENUM_SDK_DIR": Repository.root.path]).status == 2)
    }
}
