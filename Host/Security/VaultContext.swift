import Foundation
import RenumCore

/// Where a sealed secret belongs: it opens only under the same context it was sealed with.
///
/// Binding the owner, the row and the purpose into the authenticated data means a
/// ciphertext copied onto another user's row, another record, or another kind of
/// field fails to decrypt instead of silently handing over someone else's secret.
public struct VaultContext: Sendable, Equatable {
    /// The user who owns the secret.
    public let userID: UUID
    /// The row the secret is stored in.
    public let recordID: UUID
    /// What the secret is for, e.g. "user_credentials" or "integration_config".
    public let purpose: String

    /// A context for the secret of `recordID`, owned by `userID`, used for `purpose`.
    public init(userID: UUID, recordID: UUID, purpose: String) {
        self.userID = userID
        self.recordID = recordID
        self.purpose = purpose
    }

    /// The additional authenticated data for one layer of a sealed secret.
    ///
    /// The purpose is length-prefixed so no choice of purpose text (say one holding
    /// "|") can make two different contexts produce the same bytes; UUIDs are fixed-width
    /// and lowercased so the encoding is canonical.
    func associatedData(layer: String, keyVersion: UInt32? = nil) -> [UInt8] {
        var text = "renum:v1|\(layer)|purpose=\(purpose.utf8.count):\(purpose)"
            + "|user=\(userID.lowercasedString)|record=\(recordID.lowercasedString)"
        if let keyVersion { text += "|kek=\(keyVersion)" }
        return Array(text.utf8)
    }
}
