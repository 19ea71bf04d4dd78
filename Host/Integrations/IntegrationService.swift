import Foundation
import RenumCore
import RenumHTTP
import RenumSecurity
import RenumStorage

/// Owner-side integration changes: validate the type's config, seal its secrets, issue tokens,
/// and drop the webhook cache entry whenever something changes.
struct IntegrationService: Sendable {
    let repository: IntegrationRepository
    let secrets: IntegrationSecrets
    let cache: IntegrationCache
    let configuration: IntegrationsConfiguration

    static let tokenPrefix = "whk_"

    /// Creates the integration; the answer carries its token, which is never shown again.
    func create(_ body: [String: JSONValue], owner: Principal) async throws -> IntegrationResource {
        var new = try IntegrationInput.newIntegration(from: body)
        let type = IntegrationType(rawValue: new.type) ?? .generic
        let parsed = try IntegrationConfig.parse(body["config"], type: type)
        let token = TokenGenerator.generate(prefix: Self.tokenPrefix)
        new.config = JSONText.encode(parsed.publicConfig)
        new.tokenHash = TokenGenerator.hash(token)
        new.sealedSecrets = try secrets.seal(parsed.secrets, userID: owner.userID, integrationID: new.id)
        new.secretFields = parsed.secrets.keys.sorted()
        let record = try await repository.create(new, for: owner)
        return resource(record, token: token)
    }

    /// Applies an update; a new config (or type) is validated with the stored secrets filling
    /// the secret fields it leaves out, and all secrets are sealed again.
    func update(_ id: UUID, _ body: [String: JSONValue], owner: Principal) async throws -> IntegrationResource? {
        var changes = try IntegrationInput.changes(from: body)
        guard let current = try repository.webhookIntegration(id, for: owner) else { return nil }
        if changes.config != nil || changes.type != nil {
            let type = IntegrationType(rawValue: changes.type ?? current.record.type) ?? .generic
            let previous = try secrets.open(current.sealedSecrets, userID: owner.userID, integrationID: id)
            let config = body["config"] ?? JSONText.decode(current.record.config)
            let parsed = try IntegrationConfig.parse(config, type: type, previousSecrets: previous)
            changes.config = JSONText.encode(parsed.publicConfig)
            changes.sealedSecrets = try secrets.seal(parsed.secrets, userID: owner.userID, integrationID: id)
            changes.secretFields = parsed.secrets.keys.sorted()
        }
        defer { cache.invalidate(id) }
        guard let record = try await repository.update(id, changes, for: owner) else { return nil }
        return resource(record)
    }

    /// Issues a new token; the old one stops working at once.
    func regenerateToken(_ id: UUID, owner: Principal) async throws -> IntegrationResource? {
        let token = TokenGenerator.generate(prefix: Self.tokenPrefix)
        defer { cache.invalidate(id) }
        guard try await repository.replaceTokenHash(id, with: TokenGenerator.hash(token), for: owner),
              let record = try repository.find(id, for: owner) else { return nil }
        return resource(record, token: token)
    }

    func delete(_ id: UUID, owner: Principal) async throws -> Bool {
        defer { cache.invalidate(id) }
        return try await repository.delete(id, for: owner)
    }

    /// The integration as its owner sees it; `token` only in the answers that issue one.
    func resource(_ record: IntegrationRecord, token: String? = nil) -> IntegrationResource {
        IntegrationResource(record, webhookURL: configuration.webhookURL(for: record.id.lowercasedString), token: token)
    }
}
