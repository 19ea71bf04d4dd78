import RenumCore
import RenumJSONSchema

extension PluginManifest {
    /// The compiled manifest schema. It is our own constant, checked by a test, so a
    /// failure to compile it can only be a bug of ours: trap with the reason.
    static let manifestSchema: JSONSchema = {
        do {
            return try JSONSchema(try JSONParser.parse(manifestSchemaText))
        } catch {
            fatalError("manifests/manifest.schema.json does not compile: \(error)")
        }
    }()

    /// Parses and checks manifest JSON bytes; throws every problem found.
    public static func parse(_ bytes: [UInt8]) throws(ManifestErrors) -> PluginManifest {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw ManifestErrors([ManifestError(pointer: error.pointer, message: "not valid JSON: \(error.message) (byte \(error.offset))")])
        }
        return try parse(value)
    }

    /// Parses and checks manifest JSON text.
    public static func parse(_ text: String) throws(ManifestErrors) -> PluginManifest {
        try parse(Array(text.utf8))
    }

    /// Checks a parsed manifest in two passes: the manifest JSON Schema (shape, unknown
    /// fields, ranges), then what a schema cannot say (every embedded schema compiles,
    /// capability names are unique, the version orders as semver).
    public static func parse(_ value: JSONValue) throws(ManifestErrors) -> PluginManifest {
        var errors = manifestSchema.validate(value).map(Self.manifestError)
        var capabilities: [Capability] = []
        var seen: [String: Int] = [:]
        for (index, item) in (value["capabilities"]?.arrayValue ?? []).enumerated() {
            let base = "/capabilities/\(index)"
            let input = compile(item["input_schema"], at: base + "/input_schema", into: &errors)
            let output = compile(item["output_schema"], at: base + "/output_schema", into: &errors)
            guard let name = item["name"]?.stringValue else { continue }
            if let first = seen[name] {
                errors.append(ManifestError(pointer: base + "/name", message: "duplicate capability name '\(name)' (also /capabilities/\(first)/name)"))
            }
            seen[name] = seen[name] ?? index
            if let input, let output {
                capabilities.append(Capability(
                    name: name, description: item["description"]?.stringValue ?? "",
                    inputSchemaJSON: item["input_schema"] ?? true, outputSchemaJSON: item["output_schema"] ?? true,
                    inputSchema: input, outputSchema: output, annotations: annotations(item["annotations"])))
            }
        }
        let versionText = value["version"]?.stringValue ?? ""
        let version = SemanticVersion(versionText)
        if version == nil, value["version"]?.stringValue != nil, !errors.contains(where: { $0.pointer == "/version" }) {
            errors.append(ManifestError(pointer: "/version", message: "'\(versionText)' is not a semantic version"))
        }
        guard errors.isEmpty, let version, let agentID = value["agent_id"]?.stringValue else {
            throw ManifestErrors(errors.isEmpty ? [ManifestError(pointer: "", message: "invalid manifest")] : errors)
        }
        return PluginManifest(
            agentID: agentID, version: version,
            name: value["name"]?.stringValue ?? "", description: value["description"]?.stringValue ?? "",
            capabilities: capabilities,
            requiredCredentials: value["required_credentials"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            policy: policy(value["policy"]),
            costPerExecution: value["cost_per_execution"]?.numberValue ?? 0,
            unitPrices: (value["unit_prices"]?.objectValue ?? [:]).compactMapValues(\.numberValue),
            json: value)
    }

    /// A schema-pass failure as a manifest error; `additionalProperties: false` failures
    /// already point at the unknown member, so they only need a clearer message.
    static func manifestError(_ failure: ValidationError) -> ManifestError {
        if failure.keyword == "false" {
            let name = failure.instancePath.split(separator: "/").last.map(String.init) ?? ""
            return ManifestError(pointer: failure.instancePath, message: "unknown field '\(name)'")
        }
        return ManifestError(pointer: failure.instancePath, message: failure.message)
    }

    /// Compiles an embedded schema, recording where it is broken.
    static func compile(_ schema: JSONValue?, at pointer: String, into errors: inout [ManifestError]) -> JSONSchema? {
        guard let schema else { return nil }
        switch schema {
        case .object, .bool: break
        default: return nil // the schema pass already reported the type
        }
        do {
            return try JSONSchema(schema)
        } catch {
            errors.append(ManifestError(pointer: pointer + error.schemaPath, message: "not a valid JSON Schema: \(error.message)"))
            return nil
        }
    }

    static func annotations(_ value: JSONValue?) -> Annotations? {
        guard let value else { return nil }
        return Annotations(readOnly: value["read_only"]?.boolValue, destructive: value["destructive"]?.boolValue,
                           idempotent: value["idempotent"]?.boolValue, openWorld: value["open_world"]?.boolValue)
    }

    static func policy(_ value: JSONValue?) -> Policy {
        func int(_ key: String, _ fallback: Int) -> Int { value?[key]?.numberValue.map { Int($0) } ?? fallback }
        return Policy(
            isolation: value?["isolation"]?.stringValue.flatMap(Isolation.init(rawValue:)) ?? .process,
            timeoutMilliseconds: int("timeout_ms", 30_000),
            maxMemoryMegabytes: int("max_memory_mb", 256),
            maxConcurrency: int("max_concurrency", 8),
            allowedHosts: value?["allowed_hosts"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            rateLimitPerMinute: int("rate_limit_per_minute", 600))
    }
}
