// __PLUGIN_NAME__: one type, one protocol, one export line.
import RenumPluginSDK

/// The one line that exports the plugin through the C ABI (renum_plugin.h).
@_cdecl("renum_plugin_entry")
public func renumPluginEntry() -> UnsafeRawPointer { RenumPluginExport.descriptor(for: Subagent.self) }

struct Subagent: RenumPlugin {
    // The manifest: the host compares it with the one registered for this version.
    static let manifest = """
    {
      "agent_id": "__PLUGIN_NAME__",
      "version": "0.1.0",
      "name": "__PLUGIN_NAME__",
      "description": "What this subagent does, in one sentence.",
      "capabilities": [
        {"name": "hello", "description": "Greets someone.",
         "input_schema": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]},
         "output_schema": {"type": "object", "properties": {"greeting": {"type": "string"}}, "required": ["greeting"]}}
      ],
      "required_credentials": [],
      "policy": {"isolation": "process", "timeout_ms": 5000, "max_memory_mb": 64, "max_concurrency": 8,
                 "allowed_hosts": [], "rate_limit_per_minute": 60},
      "cost_per_execution": 0.0
    }
    """

    struct Configuration: Decodable { var salutation: String? }
    struct HelloInput: Decodable { let name: String }
    struct HelloOutput: Encodable { let greeting: String }

    let salutation: String

    init(configuration: PluginConfiguration, host: PluginHost) throws {
        salutation = try configuration.decode(Configuration.self).salutation ?? "Hello"
    }

    func capabilities() -> [Capability] {
        let salutation = self.salutation
        return [
            .typed("hello") { (input: HelloInput, context) in
                context.log(.info, "hello called")
                context.meter("greetings", 1)
                return HelloOutput(greeting: "\(salutation), \(input.name)!")
            },
        ]
    }
}
