import RenumCore

extension PluginManifest {
    /// The manifest as compact JSON with sorted keys: the same text for the same manifest,
    /// whatever the member order or spacing of the source.
    public var canonicalJSON: String { JSONText.encode(json) }

    /// What differs between this manifest and `other` in the fields that must agree
    /// between a plugin's embedded manifest and the registry's: agent_id, version,
    /// capability names and their input/output schemas. Empty when they agree.
    /// Each line reads "<field>: <this> ≠ <other>".
    public func agrees(with other: PluginManifest) -> [String] {
        var differences: [String] = []
        if agentID != other.agentID { differences.append("agent_id: '\(agentID)' ≠ '\(other.agentID)'") }
        if version.description != other.version.description {
            differences.append("version: \(version) ≠ \(other.version)")
        }
        let mine = capabilities.map(\.name)
        let theirs = other.capabilities.map(\.name)
        if Set(mine) != Set(theirs) {
            differences.append("capabilities: [\(mine.sorted().joined(separator: ", "))] ≠ [\(theirs.sorted().joined(separator: ", "))]")
        }
        for capability in capabilities {
            guard let counterpart = other.capability(named: capability.name) else { continue }
            if capability.inputSchemaJSON != counterpart.inputSchemaJSON {
                differences.append("capability '\(capability.name)' input_schema: \(JSONText.encode(capability.inputSchemaJSON)) ≠ \(JSONText.encode(counterpart.inputSchemaJSON))")
            }
            if capability.outputSchemaJSON != counterpart.outputSchemaJSON {
                differences.append("capability '\(capability.name)' output_schema: \(JSONText.encode(capability.outputSchemaJSON)) ≠ \(JSONText.encode(counterpart.outputSchemaJSON))")
            }
        }
        return differences
    }
}
