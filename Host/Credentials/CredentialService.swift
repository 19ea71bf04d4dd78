import Foundation
import RenumCore
import RenumSecurity
import RenumStorage

/// Seals and opens users' credentials; the only code that sees their plaintext.
public struct CredentialService: Sendable {
    public static let purpose = "user_credentials"
    let repository: CredentialRepository
    let vault: CredentialVault

    public init(store: any Store, vault: CredentialVault) {
        self.repository = CredentialRepository(store: store)
        self.vault = vault
    }

    /// The secret fields as a sealed blob bound to this user and record.
    func seal(_ secrets: [String: String], userID: UUID, recordID: UUID) throws -> CredentialChanges.SealedFields {
        var writer = JSONWriter()
        writer.value(.object(secrets.mapValues(JSONValue.string)))
        let sealed = try vault.seal(writer.bytes, context: VaultContext(userID: userID, recordID: recordID, purpose: Self.purpose))
        let names = JSONText.encode(.array(secrets.keys.sorted().map(JSONValue.string)))
        return CredentialChanges.SealedFields(ciphertext: sealed.bytes, keyVersion: Int(sealed.keyVersion), fieldNames: names)
    }

    /// The secret fields of a stored credential, as JSON bytes (`{"api_key": "…"}`).
    public func open(_ record: CredentialRecord) throws -> [UInt8] {
        let sealed = try SealedSecret(bytes: record.ciphertext)
        return try vault.open(sealed, context: VaultContext(userID: record.userID, recordID: record.id, purpose: Self.purpose))
    }

    /// What a plugin acting for `userID` may be given for `serviceType`: the newest active,
    /// unexpired credential's secret fields as JSON bytes, or nil when the user has none.
    /// Whether the plugin may ask at all is the caller's policy (its manifest's required_credentials).
    public func release(serviceType: String, userID: UUID) throws -> [UInt8]? {
        guard let record = try repository.newestUsable(serviceType: serviceType, userID: userID, now: Timestamp.now()) else {
            return nil
        }
        return try open(record)
    }

    /// Re-wraps every credential under the key ring's current version; returns how many changed.
    public func rewrapAll(batchSize: Int = 200) async throws -> Int {
        var after = ""
        var changed = 0
        while true {
            let batch = try repository.sealedBatch(afterID: after, limit: batchSize)
            guard let last = batch.last else { return changed }
            for record in batch {
                let context = VaultContext(userID: record.userID, recordID: record.id, purpose: Self.purpose)
                let sealed = try SealedSecret(bytes: record.ciphertext)
                let rewrapped = try vault.rewrap(sealed, context: context)
                guard rewrapped.keyVersion != sealed.keyVersion else { continue }
                if try await repository.replaceSealed(id: record.id, expected: record.ciphertext, with: rewrapped.bytes,
                                                      keyVersion: Int(rewrapped.keyVersion)) {
                    changed += 1
                }
            }
            after = last.id.lowercasedString
        }
    }
}
