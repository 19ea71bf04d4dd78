import Foundation
import RenumCore
import RenumStorage

/// A credential as its owner sees it: everything but the secret values.
struct CredentialResource: JSONEncodable {
    let record: CredentialRecord
    let now: String

    /// `expired` once `expires_at` has passed, whatever was last stored.
    var status: String {
        if let expiry = record.expiresAt, expiry <= now, record.status == "active" { return "expired" }
        return record.status
    }

    func encodeJSON(into writer: inout JSONWriter) {
        writer.object { w in
            w.field("id", record.id.lowercasedString)
            w.field("user_id", record.userID.lowercasedString)
            w.field("service_type", record.serviceType)
            w.field("service_name", record.serviceName)
            w.key("fields"); w.raw(record.fieldNames)
            w.key("scopes"); w.raw(record.scopes)
            w.field("status", status)
            w.field("expires_at", record.expiresAt)
            w.field("last_validated_at", record.lastValidatedAt)
            w.field("created_at", record.createdAt)
            w.field("updated_at", record.updatedAt)
        }
    }
}
