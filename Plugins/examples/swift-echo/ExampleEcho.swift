// The Swift example plugin: one type, one protocol, one export line.
import RenumPluginSDK
#if canImport(Glibc)
import Glibc
#endif

/// The one line that exports the plugin through the C ABI.
@_cdecl("renum_plugin_entry")
public func renumPluginEntry() -> UnsafeRawPointer { RenumPluginExport.descriptor(for: SwiftEchoPlugin.self) }

struct SwiftEchoPlugin: RenumPlugin {
    static let manifest = """
    {
      "agent_id": "example-swift-echo",
      "version": "1.0.0",
      "name": "Example echo (Swift)",
      "description": "The Swift example plugin: echoes its input, fails on purpose, sleeps, and shows the host functions.",
      "capabilities": [
        {"name": "echo", "description": "Returns {\\"echo\\": <input>}.",
         "input_schema": {}, "output_schema": {"type": "object", "properties": {"echo": {}}, "required": ["echo"]}},
        {"name": "fail", "description": "Always fails with the structured error EXAMPLE_FAILURE.",
         "input_schema": {}, "output_schema": {}},
        {"name": "slow", "description": "Sleeps ms milliseconds in 5 ms steps, stopping early when cancelled.",
         "input_schema": {"type": "object", "properties": {"ms": {"type": "integer", "minimum": 0}}, "required": ["ms"]},
         "output_schema": {"type": "object", "properties": {"slept_ms": {"type": "integer"}, "cancelled": {"type": "boolean"}}, "required": ["slept_ms", "cancelled"]}},
        {"name": "whoami", "description": "Logs a line, meters one 'greeting' unit and returns the agent id, greeting and host clock.",
         "input_schema": {}, "output_schema": {"type": "object", "properties": {"agent_id": {"type": "string"}, "now_ns": {"type": "integer"}}, "required": ["agent_id", "now_ns"]}}
      ],
      "required_credentials": [],
      "policy": {"isolation": "inprocess", "timeout_ms": 5000, "max_memory_mb": 64, "max_concurrency": 16,
                 "allowed_hosts": [], "rate_limit_per_minute": 600},
      "cost_per_execution": 0.0
    }
    """

    struct Configuration: Decodable {
        var greeting: String?
    }

    let greeting: String

    init(configuration: PluginConfiguration, host: PluginHost) throws {
        greeting = try configuration.decode(Configuration.self).greeting ?? "hello"
        host.log(.info, "example-swift-echo: initialised")
    }

    struct Echo: Encodable { let echo: JSONValue }
    struct SlowInput: Decodable { let ms: Int }
    struct SlowOutput: Encodable { let slept_ms: Int; let cancelled: Bool }
    struct WhoAmI: Encodable { let agent_id: String; let greeting: String; let now_ns: UInt64 }

    func capabilities() -> [Capability] {
        let greeting = self.greeting
        return [
            .typed("echo") { (input: JSONValue, _) in Echo(echo: input) },
            .typed("fail") { (_: JSONValue, _) -> Echo in
                throw PluginError(code: "EXAMPLE_FAILURE", message: "the fail capability always fails")
            },
            .typed("slow") { (input: SlowInput, context) in
                var slept = 0
                while slept < input.ms {
                    if context.isCancelled { return SlowOutput(slept_ms: slept, cancelled: true) }
                    let step = min(5, input.ms - slept)
                    usleep(UInt32(step * 1000))
                    slept += step
                }
                return SlowOutput(slept_ms: slept, cancelled: context.isCancelled)
            },
            .typed("whoami") { (_: NoInput, context) in
                context.log(.info, "whoami called")
                context.meter("greeting", 1)
                return WhoAmI(agent_id: "example-swift-echo", greeting: greeting, now_ns: context.nowNanoseconds)
            },
        ]
    }
}
