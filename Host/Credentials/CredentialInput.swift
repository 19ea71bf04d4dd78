import Foundation
import RenumCore
import RenumHTTP

/// A credential body, checked: what to seal and what to store beside it.
struct CredentialInput: Sendable {
    var serviceType: String?
    var serviceName: String?
    /// The secret fields; present only when the body carried `credentials`.
    var secrets: [String: String]?
    var scopes: [String]?
    /// `.some(nil)` when the body set `expires_at` to null.
    var expiresAt: String??

    static let fields: Set<String> = ["service_type", "service_name", "credentials", "scopes", "expires_at"]
    static let maxSecretFields = 50
    static let maxSecretBytes = 16 * 1024

    /// Parses a create (`requireAll`) or update body; every invalid field is named, never its value.
    init(_ body: [String: JSONValue], requireAll: Bool) throws(APIError) {
        var errors: [FieldError] = body.keys.filter { !Self.fields.contains($0) }.sorted().map {
            $0 == "user_id"
                ? FieldError(path: "/user_id", message: "cannot be set: a credential always belongs to the caller")
                : FieldError(path: "/\(JSONPointer.escape($0))", message: "is not a known field")
        }
        if !requireAll, body.isEmpty { errors.append(FieldError(path: "", message: "must change at least one field")) }

        if let value = body["service_type"] {
            if let text = value.stringValue, Self.isServiceType(text) { serviceType = text }
            else { errors.append(FieldError(path: "/service_type", message: "must be 1 to 64 of a-z 0-9 _ . - starting with a letter or digit")) }
        } else if requireAll { errors.append(FieldError(path: "/service_type", message: "is required")) }

        if let value = body["service_name"] {
            if let text = value.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines), (1...200).contains(text.count) { serviceName = text }
            else { errors.append(FieldError(path: "/service_name", message: "must be a string of 1 to 200 characters")) }
        } else if requireAll { errors.append(FieldError(path: "/service_name", message: "is required")) }

        if let value = body["credentials"] {
            if case .object(let members) = value, !members.isEmpty, members.count <= Self.maxSecretFields {
                var secrets: [String: String] = [:]
                for (key, field) in members {
                    guard let text = field.stringValue, !text.isEmpty, text.utf8.count <= Self.maxSecretBytes else {
                        errors.append(FieldError(path: "/credentials/\(JSONPointer.escape(key))",
                                                 message: "must be a non-empty string of at most \(Self.maxSecretBytes) bytes"))
                        continue
                    }
                    secrets[key] = text
                }
                self.secrets = secrets
            } else {
                errors.append(FieldError(path: "/credentials", message: "must be an object of 1 to \(Self.maxSecretFields) secret string fields"))
            }
        } else if requireAll { errors.append(FieldError(path: "/credentials", message: "is required")) }

        if let value = body["scopes"] {
            if let items = value.arrayValue, items.count <= 100, let scopes = Optional(items.compactMap(\.stringValue)), scopes.count == items.count {
                self.scopes = scopes
            } else { errors.append(FieldError(path: "/scopes", message: "must be an array of at most 100 strings")) }
        }

        if let value = body["expires_at"] {
            switch value {
            case .null: expiresAt = .some(nil)
            case .string(let text) where Timestamp.parse(text) != nil: expiresAt = .some(Timestamp.format(Timestamp.parse(text)!))
            default: errors.append(FieldError(path: "/expires_at", message: "must be an RFC 3339 timestamp with a zone, or null"))
            }
        }
        if !errors.isEmpty { throw APIError.validation(errors) }
    }

    static func isServiceType(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...64).contains(bytes.count) else { return false }
        return bytes.enumerated().allSatisfy { index, byte in
            let alnum = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            return index == 0 ? alnum : alnum || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
        }
    }
}
