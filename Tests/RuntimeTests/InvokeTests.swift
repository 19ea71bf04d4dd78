import Foundation
import Synchronization
import Testing
import RenumCore
import RenumManifest
import RenumObservability
import RenumRuntime
import RenumTestSupport

/// Answers HTTP with a fixed response and credentials with a fixed secret, recording calls.
final class RecordingServices: HostServices {
    let requests = Mutex<[String]>([])
    let logs = Mutex<[String]>([])
    func httpRequest(_ requestJSON: [UInt8], call: CallInfo) -> HostCallResult {
        requests.withLock { $0.append(String(decoding: requestJSON, as: UTF8.self)) }
        return .ok(Array(#"{"status": 200, "headers": {}, "body": "hello"}"#.utf8))
    }
    func credential(serviceType: String, call: CallInfo) -> HostCallResult {
        call.manifest.requiredCredentials.contains(serviceType) ? .ok(Array(#"{"api_key": "k"}"#.utf8)) : .denied(code: "NO", message: "no")
    }
    func log(_ level: PluginLogLevel, _ message: String, call: CallInfo?) {
        logs.withLock { $0.append("\(call?.capability ?? "-"): \(message)") }
    }
}

/// LoadedPlugin.invoke on the caller's thread, against the C test plugin.
@Suite struct InvokeTests {
    let directory = TemporaryDirectory(prefix: "renum-invoke")

    func load(services: any HostServices = DenyAllHostServices(logger: .disabled), config: String = "{}") throws -> LoadedPlugin {
        let plugin = try buildTestPlugin(directory)
        return try PluginLoader(services: services, logger: .disabled)
            .load(artifactPath: plugin.path, sha256: plugin.sha256, manifest: plugin.manifest, config: config.bytes)
    }

    func failure(_ result: InvocationResult) -> (code: String, message: String, details: JSONValue?)? {
        if case .failure(let code, let message, let details) = result.outcome { return (code, message, details) }
        return nil
    }

    @Test func unknownCapabilityNeverReachesThePlugin() throws {
        let plugin = try load()
        let result = plugin.invoke(capability: "nope", input: "{}".bytes)
        #expect(failure(result)?.code == "UNKNOWN_CAPABILITY")
        #expect(json(plugin.invoke(capability: "stats", input: "{}".bytes).output)?["allocations"] == 0)
    }

    @Test func inputIsValidatedAgainstItsSchema() throws {
        let plugin = try load()
        #expect(json(plugin.invoke(capability: "typed", input: #"{"n": 3}"#.bytes).output) == ["n": 3])
        let wrong = failure(plugin.invoke(capability: "typed", input: #"{"n": "three"}"#.bytes))
        #expect(wrong?.code == "INVALID_INPUT")
        #expect(wrong?.details?.arrayValue?.first?["pointer"] == "/n")
        #expect(failure(plugin.invoke(capability: "noop", input: "{not json".bytes))?.code == "INVALID_INPUT")
        #expect(failure(plugin.invoke(capability: "typed", input: "[".bytes))?.code == "INVALID_INPUT")
        // Refused inputs never reached the plugin: only the one good call allocated.
        #expect(json(plugin.invoke(capability: "stats", input: "{}".bytes).output)?["allocations"] == 1)
    }

    @Test func outputIsValidatedAgainstItsSchema() throws {
        let plugin = try load()
        let bad = failure(plugin.invoke(capability: "badout", input: "{}".bytes))
        #expect(bad?.code == "INVALID_OUTPUT")
        #expect(bad?.details?.arrayValue?.isEmpty == false)
        #expect(failure(plugin.invoke(capability: "garbage", input: "{}".bytes))?.code == "INVALID_OUTPUT")
    }

    @Test func pluginErrorsKeepTheirCodeAndOddResultsArePluginErrors() throws {
        let plugin = try load()
        let failed = failure(plugin.invoke(capability: "fail", input: "{}".bytes))
        #expect(failed?.code == "TEST_FAILURE")
        #expect(failed?.message == "it failed on purpose")
        let weird = failure(plugin.invoke(capability: "weird", input: "{}".bytes))
        #expect(weird?.code == "PLUGIN_ERROR")
        #expect(weird?.message.contains("odd") == true)
        // Every buffer the plugin handed over was released with on_free (stats counts before its own).
        let stats = json(plugin.invoke(capability: "stats", input: "{}".bytes).output)
        #expect(stats?["allocations"] == 3)
        #expect(stats?["frees"] == 3)
    }

    @Test func meteringIsPlausible() throws {
        let services = RecordingServices()
        let plugin = try load(services: services)
        let result = plugin.invoke(capability: "metered", input: "{}".bytes)
        let metering = result.metering
        #expect(json(result.output)?["negative_refused"] == true)
        #expect(metering.units == ["tokens": 15, "calls": 1])
        #expect(metering.cost == 1 + 15 * 0.5)
        #expect(metering.hostCalls == 5) // log, 3 accepted meters, now
        #expect(metering.cpuNanoseconds > 100_000)
        #expect(metering.wallNanoseconds >= metering.cpuNanoseconds / 2)
        #expect(metering.wallNanoseconds < 5_000_000_000)
        #expect(services.logs.withLock { $0 }.contains("metered: metered called"))
        #expect(services.logs.withLock { $0 }.contains("-: test plugin initialised"))
        #expect(metering.cpuMeasured)
        // Tiny calls stop paying two syscalls for the CPU clock once their average is known.
        for _ in 0..<400 { _ = plugin.invoke(capability: "noop", input: "{}".bytes) }
        let tiny = plugin.invoke(capability: "noop", input: "{}".bytes).metering
        #expect(!tiny.cpuMeasured && tiny.cpuNanoseconds <= tiny.wallNanoseconds)
        // A call that meters nothing costs the base price.
        let noop = plugin.invoke(capability: "noop", input: "{}".bytes).metering
        #expect(noop.units.isEmpty && noop.cost == 1 && noop.hostCalls == 0)
    }

    @Test func hostRequestsGoThroughServicesAndAreMetered() throws {
        let services = RecordingServices()
        let plugin = try load(services: services)
        let result = plugin.invoke(capability: "http", input: #"{"url": "http://127.0.0.1/x", "body": "12345"}"#.bytes)
        #expect(json(result.output)?["result"] == 0)
        #expect(json(result.output)?["body"]?["body"] == "hello")
        #expect(result.metering.egressRequests == 1)
        #expect(result.metering.egressBytesOut == 5)
        #expect(result.metering.egressBytesIn == 5)
        #expect(json(plugin.invoke(capability: "cred", input: "{}".bytes).output)?["body"] == ["api_key": "k"])

        let denied = try load(services: DenyAllHostServices(logger: .disabled))
        let refused = json(denied.invoke(capability: "http", input: #"{"url": "http://x"}"#.bytes).output)
        #expect(refused?["result"] == 3) // DENIED
        #expect(refused?["body"]?["code"] == "EGRESS_DENIED")
        #expect(json(denied.invoke(capability: "cred", input: "{}".bytes).output)?["result"] == 4) // NOT_FOUND
    }

    @Test func staleAndForgedContextsAreRefused() throws {
        let plugin = try load()
        _ = plugin.invoke(capability: "stale", input: "{}".bytes)
        let second = json(plugin.invoke(capability: "stale", input: "{}".bytes).output)
        #expect(second?["had_previous"] == true)
        #expect(second?["cancelled"] == 1)   // a dead call reads as cancelled
        #expect(second?["meter"] == 2)       // INVALID_ARGUMENT
        #expect(second?["forged_meter"] == 2)
    }

    @Test func configReachesTheInstance() throws {
        let plugin = try load(config: #"{"greeting": "hi"}"#)
        #expect(json(plugin.invoke(capability: "config", input: "{}".bytes).output) == ["greeting": "hi"])
    }

    @Test func theCExamplePluginLoadsAndAnswers() throws {
        let path = directory.file("libexample-c-echo.so")
        try run("cc", ["-std=c99", "-shared", "-fPIC", "-I", repositoryRoot.appendingPathComponent("SDK/c/include").path,
                       repositoryRoot.appendingPathComponent("Plugins/examples/c-echo/echo.c").path, "-o", path])
        let manifest = try PluginManifest.parse([UInt8](Data(contentsOf: repositoryRoot.appendingPathComponent("Plugins/examples/c-echo/manifest.json"))))
        let plugin = try PluginLoader(services: DenyAllHostServices(logger: .disabled), logger: .disabled)
            .load(artifactPath: path, sha256: try sha256(ofFile: path), manifest: manifest)
        #expect(json(plugin.invoke(capability: "echo", input: #"{"a": [1, 2]}"#.bytes).output) == ["echo": ["a": [1, 2]]])
        let whoami = plugin.invoke(capability: "whoami", input: "{}".bytes)
        #expect(json(whoami.output)?["agent_id"] == "example-c-echo")
        #expect(whoami.metering.units == ["greeting": 1])
        #expect(failure(plugin.invoke(capability: "fail", input: "{}".bytes))?.code == "EXAMPLE_FAILURE")
        #expect(json(plugin.invoke(capability: "fetch", input: #"{"url": "http://127.0.0.1/"}"#.bytes).output) == nil)
    }

    @Test func theSwiftExampleLoadsAndTwoCopiesLiveSideBySide() throws {
        let built = try builtSwiftExample()
        let loader = PluginLoader(services: DenyAllHostServices(logger: .disabled), logger: .disabled)
        var plugins: [LoadedPlugin] = []
        for name in ["v1", "v2"] {
            try FileManager.default.createDirectory(atPath: directory.file(name), withIntermediateDirectories: true)
            let path = directory.file("\(name)/libexample-echo.so")
            try FileManager.default.copyItem(atPath: built, toPath: path)
            let embedded = try loader.loadUnregistered(artifactPath: path).manifest
            plugins.append(try loader.load(artifactPath: path, sha256: try sha256(ofFile: path), manifest: embedded,
                                           config: #"{"greeting": "hello from \#(name)"}"#.bytes))
        }
        for (index, plugin) in plugins.enumerated() {
            #expect(json(plugin.invoke(capability: "echo", input: "[true]".bytes).output) == ["echo": [true]])
            let whoami = plugin.invoke(capability: "whoami", input: "{}".bytes)
            #expect(json(whoami.output)?["greeting"] == .string("hello from v\(index + 1)"))
            #expect(whoami.metering.units == ["greeting": 1])
            #expect(failure(plugin.invoke(capability: "fail", input: "{}".bytes))?.code == "EXAMPLE_FAILURE")
        }
    }
}
