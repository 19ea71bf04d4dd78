import Foundation
import RenumStorage
import Synchronization

/// Integrations by id for the webhook path, loaded on first use and dropped on every change.
///
/// Every owner-side change (update, delete, token regeneration) and every status change made by
/// the workers calls `invalidate`, so a deactivated integration answers 410 from the next request.
final class IntegrationCache: Sendable {
    private struct State {
        var table: [UUID: WebhookIntegration] = [:]
        /// Bumped by every invalidation: a fill that read the row before a change must not store it after.
        var generation: UInt64 = 0
    }

    private let entries = Mutex(State())
    private let repository: IntegrationRepository
    private let secrets: IntegrationSecrets
    /// Bounds memory if ids are probed at random; a full cache simply starts over.
    private let capacity: Int

    init(repository: IntegrationRepository, secrets: IntegrationSecrets, capacity: Int = 100_000) {
        self.repository = repository
        self.secrets = secrets
        self.capacity = capacity
    }

    /// The integration, or nil when there is none with that id.
    func integration(_ id: UUID) throws -> WebhookIntegration? {
        let (hit, generation) = entries.withLock { ($0.table[id], $0.generation) }
        if let hit { return hit }
        guard let row = try repository.webhookIntegration(id) else { return nil }
        let opened = try secrets.open(row.sealedSecrets, userID: row.record.userID, integrationID: id)
        let integration = WebhookIntegration(row, secrets: opened)
        entries.withLock { state in
            guard state.generation == generation else { return }
            if state.table.count >= capacity { state.table.removeAll(keepingCapacity: true) }
            state.table[id] = integration
        }
        return integration
    }

    func invalidate(_ id: UUID) {
        entries.withLock { state in
            state.table.removeValue(forKey: id)
            state.generation &+= 1
        }
    }
}
