import Foundation
import RenumCore
import RenumWebhooks

/// Where an integration's events go, from its config's `destination`.
public enum EventDestination: Sendable, Hashable {
    /// One capability of one agent: `{"agent_id": …, "capability": …}`.
    case agent(id: String, capability: String)
    /// The orchestrator decides: `{"orchestrator": true}` (also the default).
    case orchestrator
}

/// The integration an event came through, as a router needs it (no secrets).
public struct RoutedIntegration: Sendable, Hashable {
    /// An integration from its parts (routers and their tests).
    public init(id: UUID, userID: UUID, name: String, type: IntegrationType) {
        self.id = id
        self.userID = userID
        self.name = name
        self.type = type
    }

    public let id: UUID
    /// The owner: the tenant whose agents and credentials the event may use.
    public let userID: UUID
    public let name: String
    public let type: IntegrationType
}

/// How one delivery to an agent went.
public enum DeliveryOutcome: Sendable, Hashable {
    /// The agent took the event; `cost` is what the invocation was metered at (analytics).
    case success(cost: Double)
    /// The agent did not take it. Non-retryable failures become dead letters at once.
    case failure(code: String, message: String, retryable: Bool)

    /// A success that cost nothing.
    public static let success = DeliveryOutcome.success(cost: 0)
}

/// Hands normalised events to agents. App implements it over the plugin runtime.
///
/// Implementation requirements: `deliver` may be called concurrently from several workers;
/// it must not throw and must not block a thread (await instead). A job is delivered at least
/// once: after a crash or an expired lease the same envelope (same `requestID`, same provider
/// ids) can arrive again, so an agent with side effects should deduplicate on those. The
/// `message` of a failure is stored in the owner's log: keep secrets and personal data out of it.
public protocol EventRouter: Sendable {
    /// Delivers one envelope to `destination` on behalf of `integration`'s owner.
    func deliver(_ envelope: MessageEnvelope, integration: RoutedIntegration, destination: EventDestination,
                 requestID: String) async -> DeliveryOutcome
}
