import Foundation
import Testing
import RenumCore
import RenumManifest

/// A minimal valid manifest, with `extra` merged into the top level.
func manifestText(agentID: String = "test-agent", version: String = "1.0.0",
                  capabilities: String = #"[{"name": "noop", "description": "does nothing", "input_schema": {}, "output_schema": {}}]"#,
                  extra: String = "") -> String {
    """
    {"agent_id": "\(agentID)", "version": "\(version)", "name": "Test", "description": "a test agent",
     "capabilities": \(capabilities)\(extra.isEmpty ? "" : ", " + extra)}
    """
}

func manifestErrors(_ text: String) -> [ManifestError] {
    do {
        _ = try PluginManifest.parse(text)
        return []
    } catch {
        return error.errors
    }
}

@Suite struct ManifestTests {
    @Test func theCExampleManifestParsesWithItsPolicy() throws {
        let bytes = try Array(Data(contentsOf: repositoryRoot.appendingPathComponent("Plugins/examples/c-echo/manifest.json")))
        let manifest = try PluginManifest.parse(bytes)
        #expect(manifest.agentID == "example-c-echo")
        #expect(manifest.version == SemanticVersion("1.0.0"))
        #expect(manifest.capabilities.map(\.name) == ["echo", "fail", "whoami", "fetch"])
        #expect(manifest.policy.isolation == .inprocess)
        #expect(manifest.policy.timeoutMilliseconds == 5000)
        #expect(manifest.policy.maxConcurrency == 16)
        #expect(manifest.policy.allows(host: "127.0.0.1"))
        #expect(!manifest.policy.allows(host: "example.com"))
        #expect(manifest.capability(named: "fetch")?.inputSchema.isValid(["url": "http://x"]) == true)
        #expect(manifest.capability(named: "fetch")?.inputSchema.isValid([:]) == false)
    }

    @Test func defaultsAreFilledIn() throws {
        let manifest = try PluginManifest.parse(manifestText())
        #expect(manifest.policy == PluginManifest.Policy(isolation: .process, timeoutMilliseconds: 30_000, maxMemoryMegabytes: 256,
                                                         maxConcurrency: 8, allowedHosts: [], rateLimitPerMinute: 600))
        #expect(manifest.costPerExecution == 0)
        #expect(manifest.requiredCredentials.isEmpty)
    }

    @Test func unknownFieldsAreRejectedWithTheirPointer() {
        let errors = manifestErrors(manifestText(extra: #""policy": {"colour": "red"}, "bogus": 1"#))
        #expect(errors.contains { $0.pointer == "/policy/colour" && $0.message.contains("unknown field") })
        #expect(errors.contains { $0.pointer == "/bogus" })
        let nested = manifestErrors(manifestText(capabilities: #"[{"name": "a", "description": "", "input_schema": {}, "output_schema": {}, "annotations": {"read_only": true, "spicy": true}}]"#))
        #expect(nested.map(\.pointer) == ["/capabilities/0/annotations/spicy"])
    }

    @Test func brokenEmbeddedSchemasPointIntoTheSchema() {
        let errors = manifestErrors(manifestText(capabilities: #"""
            [{"name": "a", "description": "", "input_schema": {}, "output_schema": {}},
             {"name": "b", "description": "", "input_schema": {"type": 5}, "output_schema": {"minLength": "x"}}]
            """#))
        #expect(errors.map(\.pointer).contains("/capabilities/1/input_schema/type"), "\(errors)")
        #expect(errors.map(\.pointer).contains("/capabilities/1/output_schema/minLength"), "\(errors)")
    }

    @Test func everyErrorIsReportedAtOnce() {
        let errors = manifestErrors(#"""
            {"agent_id": "X", "version": "1.0", "name": "", "description": "d",
             "capabilities": [{"name": "a", "description": "", "input_schema": {}, "output_schema": {}},
                              {"name": "a", "description": "", "input_schema": {}, "output_schema": {}}],
             "policy": {"timeout_ms": 0, "isolation": "thread", "allowed_hosts": ["*.example.com", "bad host"]},
             "cost_per_execution": -1, "unit_prices": {"tokens": -0.5}}
            """#)
        let pointers = Set(errors.map(\.pointer))
        for expected in ["/agent_id", "/version", "/name", "/capabilities/1/name", "/policy/timeout_ms", "/policy/isolation",
                         "/policy/allowed_hosts/1", "/cost_per_execution", "/unit_prices/tokens"] {
            #expect(pointers.contains(expected), "missing \(expected) in \(errors)")
        }
    }

    @Test func missingRequiredFieldsAndNoCapabilities() {
        #expect(!manifestErrors(#"{"agent_id": "ab"}"#).isEmpty)
        #expect(manifestErrors(manifestText(capabilities: "[]")).map(\.pointer) == ["/capabilities"])
    }

    @Test func duplicateKeysAndBadJSONAreRefused() {
        #expect(manifestErrors(#"{"agent_id": "ab", "agent_id": "cd"}"#).first?.message.contains("duplicate key") == true)
        #expect(manifestErrors("{").count == 1)
    }

    @Test func costIsPerExecutionPlusPricedUnits() throws {
        let manifest = try PluginManifest.parse(manifestText(extra: #""cost_per_execution": 0.01, "unit_prices": {"tokens": 0.001}"#))
        #expect(abs(manifest.cost(units: ["tokens": 100, "unpriced": 7]) - 0.11) < 1e-12)
    }

    @Test func agreementListsDifferences() throws {
        let registry = try PluginManifest.parse(manifestText())
        #expect(registry.agrees(with: try PluginManifest.parse(manifestText(extra: #""cost_per_execution": 2"#))).isEmpty)
        let other = try PluginManifest.parse(manifestText(agentID: "other-agent", version: "1.0.1",
            capabilities: #"[{"name": "noop", "description": "", "input_schema": {"type": "object"}, "output_schema": {}}, {"name": "more", "description": "", "input_schema": {}, "output_schema": {}}]"#))
        let differences = registry.agrees(with: other)
        #expect(differences.count == 4, "\(differences)")
        #expect(differences.contains { $0.hasPrefix("agent_id") })
        #expect(differences.contains { $0.hasPrefix("version") })
        #expect(differences.contains { $0.hasPrefix("capabilities") })
        #expect(differences.contains { $0.contains("input_schema") })
    }

    @Test func canonicalJSONIgnoresOrderAndSpacing() throws {
        let a = try PluginManifest.parse(manifestText())
        let b = try PluginManifest.parse(#"{"capabilities":[{"output_schema":{},"input_schema":{},"description":"does nothing","name":"noop"}],"description":"a test agent","name":"Test","version":"1.0.0","agent_id":"test-agent"}"#)
        #expect(a.canonicalJSON == b.canonicalJSON)
        #expect(try PluginManifest.parse(a.canonicalJSON).canonicalJSON == a.canonicalJSON)
    }

    @Test func theSchemaFileEqualsTheEmbeddedText() throws {
        let file = try String(contentsOf: repositoryRoot.appendingPathComponent("manifests/manifest.schema.json"), encoding: .utf8)
        #expect(file.trimmingCharacters(in: .whitespacesAndNewlines) == manifestSchemaText.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func semanticVersionsOrderAsSemver() throws {
        let ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                       "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.2.0", "2.0.0"]
        let versions = ordered.map { SemanticVersion($0)! }
        #expect(versions == versions.shuffled().sorted())
        for bad in ["1.0", "01.0.0", "1.0.0-", "1.0.0-01", "v1.0.0", "1.0.0+", "1..0"] { #expect(SemanticVersion(bad) == nil, "\(bad)") }
        #expect(SemanticVersion("1.2.3-rc.1+build.5")?.description == "1.2.3-rc.1+build.5")
    }

    @Test func theJSONParserIsStrict() throws {
        for bad in ["", "01", "1.", "+1", "[1,]", "{\"a\":1,}", "\"\u{01}\"", "nul", "[1] 2", "\"\\x\"", "NaN"] {
            #expect(throws: JSONParseError.self, "\(bad)") { try JSONParser.parse(bad) }
            #expect(!JSONParser.isWellFormed(Array(bad.utf8)), "\(bad)")
        }
        #expect(!JSONParser.isWellFormed([0x22, 0xC3, 0x28, 0x22]))
        let value = try JSONParser.parse(#" {"a": [1, -2.5e2, true, null, "\u00e9\ud83d\ude00"]} "#)
        #expect(value == ["a": [1, -250, true, nil, "é😀"]])
        #expect(JSONParser.isWellFormed(Array(#"{"a": [1, -2.5e2, true, null, "é\ud83d\ude00"]}"#.utf8)))
    }
}
