import Foundation
import Synchronization
import Testing
@testable import ExampleEcho
@testable import RenumPluginSDK

/// A plugin that exercises every host function and error path of the SDK.
struct HostUser: RenumPlugin {
    static let manifest = """
    {"agent_id": "test-host-user", "version": "0.1.0", "name": "host user", "description": "test",
     "capabilities": [], "required_credentials": ["telegram", "openai"],
     "policy": {"isolation": "inprocess", "timeout_ms": 1000, "max_memory_mb": 64, "max_concurrency": 4,
                "allowed_hosts": ["api.example.com", "*.hooks.example.org"], "rate_limit_per_minute": 60},
     "cost_per_execution": 0.01}
    """

    struct Unexpected: Error { let secret = "do not leak me" }

    init(configuration: PluginConfiguration, host: PluginHost) throws {}

    func capabilities() -> [Capability] {
        [
            .typed("get") { (request: HTTPRequest, context) in try context.http(request) },
            .typed("secret") { (input: [String: String], context) in try context.credential(input["service"] ?? "") },
            .typed("boom") { (_: NoInput, _) -> NoInput in throw Unexpected() },
            .raw("raw") { text, _ in "[\(text)]" },
            .typed("meter") { (input: [String: Double], context) in
                ["accepted": context.meter("tokens", input["quantity"] ?? 0)]
            },
        ]
    }
}

@Suite struct SwiftPluginTests {
    @Test func echoRoundTripsThroughTheDescriptor() throws {
        let plugin = try FakeHost().load(SwiftEchoPlugin.self)
        let output = try plugin.invoke("echo", json: #"{"a": [1, "two", null, true]}"#).get()
        #expect(try json(output) == json(#"{"echo": {"a": [1, "two", null, true]}}"#))
        #expect(try json(plugin.manifest)["agent_id"] == .string("example-swift-echo"))
        #expect(plugin.abiVersion == (1, 0))
    }

    @Test func pluginErrorsKeepTheirCode() throws {
        let plugin = try FakeHost().load(SwiftEchoPlugin.self)
        #expect(plugin.invoke("fail", json: "{}") == .failure(PluginError(code: "EXAMPLE_FAILURE", message: "the fail capability always fails")))
        let unknown = try #require(plugin.invoke("nope", json: "{}").failure)
        #expect(unknown.code == "UNKNOWN_CAPABILITY")
        let invalid = try #require(plugin.invoke("slow", json: #"{"ms": "soon"}"#).failure)
        #expect(invalid.code == "INVALID_INPUT")
        #expect(invalid.message.contains("ms"))
        let notJSON = try #require(plugin.invoke("echo", json: "{not json").failure)
        #expect(notJSON.code == "INVALID_INPUT")
    }

    @Test func otherErrorsBecomePluginErrorWithoutTheirContents() throws {
        let plugin = try FakeHost().load(HostUser.self)
        let error = try #require(plugin.invoke("boom", json: "{}").failure)
        #expect(error.code == "PLUGIN_ERROR")
        #expect(!error.message.contains("leak"))
    }

    @Test func whoamiUsesLogMeterAndClock() throws {
        let host = FakeHost(now: 1_700_000_000_123_456_789)
        let plugin = try host.load(SwiftEchoPlugin.self, configuration: #"{"greeting": "salut"}"#)
        struct WhoAmI: Decodable, Equatable { let agent_id: String; let greeting: String; let now_ns: UInt64 }
        let output = try plugin.invoke("whoami", NoInput(), as: WhoAmI.self)
        #expect(output == WhoAmI(agent_id: "example-swift-echo", greeting: "salut", now_ns: 1_700_000_000_123_456_789))
        #expect(host.logs == [
            .init(level: .info, message: "example-swift-echo: initialised", capability: nil),
            .init(level: .info, message: "whoami called", capability: "whoami"),
        ])
        #expect(host.meters == [.init(unit: "greeting", quantity: 1, capability: "whoami")])
        #expect(host.misuses.isEmpty)
    }

    @Test func badConfigurationIsRefusedAtInit() throws {
        #expect(throws: FakeHost.LoadError.self) { try FakeHost().load(SwiftEchoPlugin.self, configuration: #"{"greeting": 3}"#) }
        do {
            _ = try FakeHost().load(SwiftEchoPlugin.self, configuration: #"{"greeting": 3}"#)
        } catch let error as FakeHost.LoadError {
            #expect(error.code == "INVALID_CONFIG")
        }
    }

    @Test func slowStopsWhenCancelled() throws {
        let plugin = try FakeHost().load(SwiftEchoPlugin.self)
        let started = Date()
        let output = try json(plugin.invoke("slow", json: #"{"ms": 5000}"#, timeoutMs: 50).get())
        #expect(output["cancelled"] == .bool(true))
        #expect(Date().timeIntervalSince(started) < 2)
        let finished = try json(plugin.invoke("slow", json: #"{"ms": 10}"#).get())
        #expect(try finished == json(#"{"slept_ms": 10, "cancelled": false}"#))
    }

    @Test func httpGoesThroughEgressPolicy() throws {
        let host = FakeHost { request in
            HTTPResponse(status: 201, headers: ["content-type": "application/json"], body: #"{"got":"\#(request.method) \#(request.url)"}"#)
        }
        let plugin = try host.load(HostUser.self)
        let response = try plugin.invoke("get", HTTPRequest(method: "POST", url: "https://api.example.com/v1", body: "{}"), as: HTTPResponse.self)
        #expect(response.status == 201)
        #expect(response.body == #"{"got":"POST https://api.example.com/v1"}"#)
        _ = try plugin.invoke("get", HTTPRequest(url: "https://a.hooks.example.org/x"), as: HTTPResponse.self)
        let denied = try #require(plugin.invoke("get", json: #"{"url": "https://evil.example.net/"}"#).failure)
        #expect(denied.code == "EGRESS_DENIED")
        #expect(denied.message.contains("evil.example.net"))
        #expect(host.httpRequests.map { $0.url } == ["https://api.example.com/v1", "https://a.hooks.example.org/x"])
    }

    @Test func httpFailuresMapToHostCodes() throws {
        let host = FakeHost { _ in throw HostError(result: .timeout, code: "TIMEOUT", message: "too slow") }
        let plugin = try host.load(HostUser.self)
        #expect(plugin.invoke("get", json: #"{"url": "https://api.example.com/"}"#).failure?.code == "TIMEOUT")
    }

    @Test func credentialsAreDeclaredAndPresent() throws {
        let host = FakeHost(credentials: ["telegram": ["bot_token": "123:abc"]])
        let plugin = try host.load(HostUser.self)
        #expect(try plugin.invoke("secret", ["service": "telegram"], as: [String: String].self) == ["bot_token": "123:abc"])
        #expect(plugin.invoke("secret", json: #"{"service": "openai"}"#).failure?.code == "CREDENTIAL_NOT_FOUND")
        #expect(plugin.invoke("secret", json: #"{"service": "gmail"}"#).failure?.code == "CREDENTIAL_NOT_DECLARED")
    }

    @Test func rawCapabilitiesAndMeterValidation() throws {
        let host = FakeHost()
        let plugin = try host.load(HostUser.self)
        #expect(try plugin.invoke("raw", json: "42").get() == "[42]")
        #expect(try plugin.invoke("meter", ["quantity": 12.5], as: [String: Bool].self) == ["accepted": true])
        #expect(try plugin.invoke("meter", ["quantity": -1.0], as: [String: Bool].self) == ["accepted": false])
        #expect(host.meters == [.init(unit: "tokens", quantity: 12.5, capability: "meter")])
    }

    @Test func concurrentCallsOnOneInstance() throws {
        let plugin = try FakeHost().load(SwiftEchoPlugin.self)
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 64) { index in
            let output = try? json(plugin.invoke("echo", json: "\(index)").get())
            if output != .object(["echo": .number(Double(index))]) { failures.withLock { $0 += 1 } }
        }
        #expect(failures.withLock { $0 } == 0)
    }

    @Test func shutdownIsOnceAndFinal() throws {
        let plugin = try FakeHost().load(SwiftEchoPlugin.self)
        plugin.shutdown()
        plugin.shutdown()
        #expect(plugin.invoke("echo", json: "1").failure?.code == "SHUT_DOWN")
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
