import Foundation
import RenumCore
import RenumManifest
import RenumStorage

/// One version as the API shows it. Admins also see canary settings and the artifact path's digest.
struct AgentVersionResource: JSONEncodable {
    let record: AgentVersionRecord
    let manifest: PluginManifest
    let forAdmin: Bool
    let includeManifest: Bool

    func encodeJSON(into writer: inout JSONWriter) {
        writer.object { w in
            w.field("agent_id", record.agentID)
            w.field("version", record.version)
            w.field("name", record.name)
            w.field("description", record.description)
            w.field("status", record.status)
            w.field("is_active", record.isActive)
            w.field("first_party", record.firstParty)
            w.key("capabilities")
            w.array(manifest.capabilities) { w, capability in
                w.object { w in
                    w.field("name", capability.name)
                    w.field("description", capability.description)
                    if let annotations = capability.annotations {
                        w.key("annotations")
                        w.object { w in
                            if let v = annotations.readOnly { w.field("read_only", v) }
                            if let v = annotations.destructive { w.field("destructive", v) }
                            if let v = annotations.idempotent { w.field("idempotent", v) }
                            if let v = annotations.openWorld { w.field("open_world", v) }
                        }
                    }
                }
            }
            w.field("required_credentials", JSONValue.array(manifest.requiredCredentials.map(JSONValue.string)))
            if forAdmin {
                w.key("artifact")
                if let digest = record.artifactSHA256 {
                    w.object { w in
                        w.field("sha256", digest)
                        w.field("size", record.artifactSize ?? 0)
                    }
                } else {
                    w.null()
                }
                w.field("canary", CanaryPolicy(storedJSON: record.canary).json)
            }
            if includeManifest { w.key("manifest"); w.raw(record.manifest) }
            w.field("created_at", record.createdAt)
            w.field("updated_at", record.updatedAt)
        }
    }
}

/// One agent in a listing: what it does and which version serves.
struct AgentListing: JSONEncodable {
    let shown: AgentVersionRecord
    let manifest: PluginManifest
    let versions: [AgentVersionRecord]
    let forAdmin: Bool
    let score: Int

    func encodeJSON(into writer: inout JSONWriter) {
        writer.object { w in
            w.field("agent_id", shown.agentID)
            w.field("name", shown.name)
            w.field("description", shown.description)
            w.field("active_version", versions.first { $0.isActive }?.version)
            w.field("version", shown.version)
            w.field("status", shown.status)
            w.key("capabilities")
            w.array(manifest.capabilities) { w, capability in
                w.object { w in
                    w.field("name", capability.name)
                    w.field("description", capability.description)
                }
            }
            if forAdmin {
                w.key("versions")
                w.array(versions) { w, version in
                    w.object { w in
                        w.field("version", version.version)
                        w.field("status", version.status)
                        w.field("is_active", version.isActive)
                    }
                }
            }
        }
    }
}
