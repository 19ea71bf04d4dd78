import Foundation
import RenumCore
import RenumSecurity

/// Seals and opens an integration's secret config fields and its webhook bodies with the vault.
///
/// Both are bound to the owner and the integration (the `VaultContext`), so a sealed value copied
/// to another row or tenant does not open.
struct IntegrationSecrets: Sendable {
    static let configPurpose = "integration_config"
    static let bodyPurpose = "webhook_body"
    let vault: CredentialVault

    /// Seals even an empty set, so that an update always replaces what was there.
    func seal(_ secrets: [String: String], userID: UUID, integrationID: UUID) throws -> [UInt8] {
        let json = JSONText.encode(.object(secrets.mapValues(JSONValue.string)))
        return try vault.seal(Array(json.utf8), context: context(userID, integrationID, Self.configPurpose)).bytes
    }

    func open(_ sealed: [UInt8]?, userID: UUID, integrationID: UUID) throws -> [String: String] {
        guard let sealed, !sealed.isEmpty else { return [:] }
        let plain = try vault.open(try SealedSecret(bytes: sealed), context: context(userID, integrationID, Self.configPurpose))
        guard case .object(let fields)? = JSONText.decode(String(decoding: plain, as: UTF8.self)) else { return [:] }
        return fields.compactMapValues(\.stringValue)
    }

    func sealBody(_ body: [UInt8], userID: UUID, integrationID: UUID) throws -> [UInt8] {
        try vault.seal(body, context: context(userID, integrationID, Self.bodyPurpose)).bytes
    }

    func openBody(_ sealed: [UInt8], userID: UUID, integrationID: UUID) throws -> [UInt8] {
        try vault.open(try SealedSecret(bytes: sealed), context: context(userID, integrationID, Self.bodyPurpose))
    }

    private func context(_ user: UUID, _ integration: UUID, _ purpose: String) -> VaultContext {
        VaultContext(userID: user, recordID: integration, purpose: purpose)
    }
}
