import Foundation
import RenumCore
import RenumIntegrations
import RenumManifest
import RenumRegistry
import RenumRuntime
import RenumStorage
import RenumWebhooks

/// Delivers normalised webhook events to the agent an integration names, as its owner.
///
/// The version is chosen the way the invoke API chooses it for that user (canary, then
/// active). Refusals that retrying cannot fix (no such agent or capability, input the agent
/// rejects) become dead letters at once; everything else is retried with backoff.
struct AgentEventRouter: EventRouter {
    let registry: RegistryService
    let serving: RuntimeAgentServing

    static let permanent: Set<String> = [
        "AGENT_NOT_FOUND", "VERSION_NOT_FOUND", "UNKNOWN_CAPABILITY", "INVALID_INPUT", "VERSION_DEPRECATED",
    ]

    func deliver(_ envelope: MessageEnvelope, integration: RoutedIntegration, destination: EventDestination,
                 requestID: String) async -> DeliveryOutcome {
        guard case .agent(let agentID, let capability) = destination else {
            return .failure(code: "ORCHESTRATOR_UNAVAILABLE",
                            message: "this server has no orchestrator yet; set the integration's destination to an agent and replay",
                            retryable: false)
        }
        let owner = Principal(userID: integration.userID, isAdmin: false)
        let record: AgentVersionRecord
        let manifest: PluginManifest
        do {
            record = try registry.resolve(agentID: agentID, version: nil, for: owner)
            manifest = try registry.manifest(of: record)
            try await registry.ensureLoaded(record)
        } catch {
            return .failure(code: "AGENT_NOT_FOUND", message: "no agent \(agentID) is available to this integration's owner", retryable: false)
        }
        guard record.status != "deprecated" else {
            return .failure(code: "VERSION_DEPRECATED", message: "\(agentID) has no version taking calls", retryable: false)
        }
        let result = await serving.invoke(record, manifest: manifest, capability: capability,
                                          input: Self.input(envelope, integration: integration),
                                          caller: CallerContext(userID: integration.userID, requestID: requestID))
        switch result.outcome {
        case .success:
            return .success(cost: result.metering.cost)
        case .failure(let code, let message, _):
            return .failure(code: code, message: message, retryable: !Self.permanent.contains(code))
        }
    }

    /// The envelope as the agent's input: one JSON object per event.
    static func input(_ envelope: MessageEnvelope, integration: RoutedIntegration) -> [UInt8] {
        var writer = JSONWriter()
        writer.object { w in
            w.field("platform", envelope.platform.rawValue)
            w.field("kind", envelope.kind.rawValue)
            w.field("sender", envelope.sender)
            w.field("chat", envelope.chat)
            w.field("text", envelope.text)
            w.key("provider_ids"); w.array(envelope.providerIDs) { $0.string($1) }
            w.field("received_at", envelope.receivedAt)
            w.field("summary", envelope.summary)
            w.field("integration_id", integration.id.lowercasedString)
        }
        return writer.bytes
    }
}
