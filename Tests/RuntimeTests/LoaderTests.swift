import Foundation
import Testing
import RenumCore
import RenumManifest
import RenumObservability
import RenumRuntime
import RenumTestSupport

/// Every refusal the loader makes, each with a real file and a real dlopen.
@Suite struct LoaderTests {
    let directory = TemporaryDirectory(prefix: "renum-loader")

    func refusal(_ plugin: BuiltPlugin, manifest: PluginManifest? = nil, sha256: String? = nil,
                 sink: CapturingSink = CapturingSink()) -> LoadError? {
        let loader = PluginLoader(services: DenyAllHostServices(logger: .disabled), logger: testLogger(sink))
        do {
            _ = try loader.load(artifactPath: plugin.path, sha256: sha256 ?? plugin.sha256, manifest: manifest ?? plugin.manifest)
            return nil
        } catch {
            return error
        }
    }

    @Test func aGoodPluginLoadsAndAnswers() throws {
        let plugin = try buildTestPlugin(directory)
        let loaded = try PluginLoader(services: DenyAllHostServices(logger: .disabled), logger: .disabled)
            .load(artifactPath: plugin.path, sha256: plugin.sha256, manifest: plugin.manifest)
        #expect(loaded.abiVersion == (1, 0))
        #expect(json(loaded.invoke(capability: "noop", input: "{}".bytes).output) == [:])
    }

    @Test func aWrongDigestIsRefusedBeforeDlopen() throws {
        // A file that would crash dlopen if it got there is refused on its digest alone.
        let plugin = try buildTestPlugin(directory)
        let sink = CapturingSink()
        let error = refusal(plugin, sha256: String(repeating: "0", count: 64), sink: sink)
        #expect(error?.code == "DIGEST_MISMATCH")
        #expect(sink.all.contains { $0.level == .warning && $0.metadata["code"] == "DIGEST_MISMATCH" })
        // The digest is checked first: junk with a wrong digest says DIGEST_MISMATCH, not NOT_A_LIBRARY.
        let junk = directory.file("junk.so")
        try Data("junk".utf8).write(to: URL(fileURLWithPath: junk))
        let junkError = refusal(BuiltPlugin(path: junk, sha256: "00", manifest: plugin.manifest))
        #expect(junkError?.code == "DIGEST_MISMATCH")
    }

    @Test func aNonELFFileAndATruncatedELFAreRefusedWithoutCrashing() throws {
        let plugin = try buildTestPlugin(directory)
        let text = directory.file("text.so")
        try Data("#!/bin/sh\necho not a library\n".utf8).write(to: URL(fileURLWithPath: text))
        #expect(refusal(BuiltPlugin(path: text, sha256: try sha256(ofFile: text), manifest: plugin.manifest))?.code == "NOT_A_LIBRARY")

        let whole = try Data(contentsOf: URL(fileURLWithPath: plugin.path))
        let short = directory.file("short.so")
        try whole.prefix(40).write(to: URL(fileURLWithPath: short))
        #expect(refusal(BuiltPlugin(path: short, sha256: try sha256(ofFile: short), manifest: plugin.manifest))?.code == "NOT_A_LIBRARY")

        let truncated = directory.file("truncated.so")
        try whole.prefix(whole.count / 3).write(to: URL(fileURLWithPath: truncated))
        // Mapped as is, its segments would run past the end of the file: SIGBUS on first touch.
        let error = refusal(BuiltPlugin(path: truncated, sha256: try sha256(ofFile: truncated), manifest: plugin.manifest))
        #expect(error?.code == "NOT_A_LIBRARY", "\(String(describing: error))")
        #expect(error?.message.contains("truncated") == true)
    }

    @Test func aLibraryTheDynamicLinkerCannotLoadIsRefusedWithDlerror() throws {
        let source = directory.file("dep.c")
        try "int dep(void) { return 1; }\n".write(toFile: source, atomically: true, encoding: .utf8)
        try run("cc", ["-shared", "-fPIC", source, "-o", directory.file("libgonedep.so")])
        let plugin = try buildTestPlugin(directory, name: "libneedsdep.so", flags: ["-L", directory.path, "-Wl,--no-as-needed", "-lgonedep"])
        try FileManager.default.removeItem(atPath: directory.file("libgonedep.so"))
        let error = refusal(plugin)
        #expect(error?.code == "LOAD_FAILED")
        #expect(error?.message.contains("libgonedep.so") == true, "\(String(describing: error))")
    }

    @Test func aLibraryWithoutTheEntrySymbolIsRefused() throws {
        let source = directory.file("other.c")
        try "int not_a_plugin(void) { return 1; }\n".write(toFile: source, atomically: true, encoding: .utf8)
        let path = directory.file("libother.so")
        try run("cc", ["-shared", "-fPIC", source, "-o", path])
        let manifest = try PluginManifest.parse(testManifestText())
        #expect(refusal(BuiltPlugin(path: path, sha256: try sha256(ofFile: path), manifest: manifest))?.code == "NO_ENTRY_SYMBOL")
    }

    @Test(arguments: [
        (["-DTEST_BAD_MAGIC"], "BAD_MAGIC"),
        (["-DTEST_SMALL_DESCRIPTOR"], "DESCRIPTOR_TOO_SMALL"),
        (["-DTEST_ABI_MAJOR=2"], "ABI_INCOMPATIBLE"),
        (["-DTEST_ABI_MINOR=9"], "ABI_INCOMPATIBLE"),
        (["-DTEST_MISSING_FUNCTION"], "MISSING_FUNCTION"),
        (["-DTEST_FAIL_INIT"], "INIT_FAILED"),
    ])
    func descriptorChecksRefuseInOrder(flags: [String], code: String) throws {
        let plugin = try buildTestPlugin(directory, name: "lib\(code)-\(flags[0].count).so", flags: flags)
        let error = refusal(plugin)
        #expect(error?.code == code, "\(String(describing: error))")
        if flags == ["-DTEST_ABI_MAJOR=2"] {
            #expect(error?.message.contains("2.0") == true && error?.message.contains("1.0") == true)
        }
        if flags == ["-DTEST_ABI_MINOR=9"] { #expect(error?.message.contains("1.9") == true) }
        if code == "MISSING_FUNCTION" { #expect(error?.message.contains("on_shutdown") == true) }
        if code == "INIT_FAILED" { #expect(error?.message.contains("TEST_INIT_REFUSED") == true) }
    }

    @Test func anUnparsableEmbeddedManifestIsRefused() throws {
        let plugin = try buildTestPlugin(directory, name: "libbad.so", manifestText: #"{"agent_id": "test-plugin", "colour": 1}"#,
                                         registryText: testManifestText())
        let error = refusal(plugin)
        #expect(error?.code == "BAD_MANIFEST")
        #expect(error?.message.contains("/colour") == true)
    }

    @Test func aDisagreeingEmbeddedManifestIsRefusedWithTheDifferences() throws {
        let plugin = try buildTestPlugin(directory, name: "libv2.so", manifestText: testManifestText(version: "1.0.1", typedInput: "{}"))
        let registry = try PluginManifest.parse(testManifestText(version: "1.0.0"))
        let error = refusal(plugin, manifest: registry)
        #expect(error?.code == "MANIFEST_MISMATCH")
        #expect(error?.message.contains("version: 1.0.1 ≠ 1.0.0") == true, "\(String(describing: error))")
        #expect(error?.message.contains("'typed' input_schema") == true)
        // Policy may differ: the registry's copy is the one enforced.
        let relaxed = try buildTestPlugin(directory, name: "librelaxed.so", manifestText: testManifestText(maxConcurrency: 9))
        #expect(refusal(relaxed, manifest: registry) == nil)
    }

    @Test func aConfigThatIsNotAnObjectIsRefused() throws {
        let plugin = try buildTestPlugin(directory)
        let loader = PluginLoader(services: DenyAllHostServices(logger: .disabled), logger: .disabled)
        #expect(throws: LoadError(code: "BAD_CONFIG", message: "the configuration is not a JSON object")) {
            _ = try loader.load(artifactPath: plugin.path, sha256: plugin.sha256, manifest: plugin.manifest, config: "[1]".bytes)
        }
    }
}
