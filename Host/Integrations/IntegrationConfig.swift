import Foundation
import RenumCore
import RenumHTTP
import RenumWebhooks

/// An integration config split in two: what may be stored and shown, and the secrets the vault keeps.
///
/// Secret fields (`access_token`, `app_secret`, `bot_token`, `webhook_secret`, `signing_secret`,
/// `api_key`, `webhook_verify_token`, and n8n's `auth.value`, `auth.password`, `auth.token`) never
/// reach `publicConfig`; responses name them in `secret_fields` instead.
struct IntegrationConfig: Sendable, Equatable {
    /// JSON object without secrets.
    var publicConfig: JSONValue
    /// Secret field name (dotted for nested ones) → value.
    var secrets: [String: String]
    var destination: EventDestination

    /// Validates `value` for `type`. `previousSecrets` fill secret fields the new config leaves out,
    /// so an owner can change the destination without sending every secret again.
    static func parse(_ value: JSONValue?, type: IntegrationType,
                      previousSecrets: [String: String] = [:]) throws(APIError) -> IntegrationConfig {
        var reader = ConfigReader(object: value?.objectValue ?? [:], previous: previousSecrets)
        if let value, value.objectValue == nil {
            throw APIError.validation([FieldError(path: "/config", message: "must be an object, not \(value.typeName)")])
        }
        let destination = reader.destination()
        let signing = reader.secret("signing_secret", required: false)
        if let signing, (try? StandardWebhookSecret(signing)) == nil || !signing.hasPrefix("whsec_") {
            reader.fail("signing_secret", "must be whsec_ followed by base64")
        }
        switch type {
        case .whatsapp:
            reader.text("business_phone_number", required: true)
            reader.secret("access_token", required: true)
            reader.secret("webhook_verify_token", required: true)
            reader.secret("app_secret", required: signing == nil)
        case .telegram:
            reader.secret("bot_token", required: true)
            if let secret = reader.secret("webhook_secret", required: signing == nil), !Self.isTelegramSecret(secret) {
                reader.fail("webhook_secret", "must be 1 to 256 of A-Z a-z 0-9 _ -")
            }
        case .make:
            reader.secret("api_key", required: false)
        case .n8n:
            reader.n8nAuth()
        case .zapier, .generic:
            break
        }
        reader.refuseUnknown()
        guard reader.errors.isEmpty else { throw APIError.validation(reader.errors) }
        return IntegrationConfig(publicConfig: .object(reader.publicFields), secrets: reader.secrets,
                                 destination: destination ?? .orchestrator)
    }

    /// The destination stored in a public config (orchestrator when absent).
    static func destination(in config: JSONValue?) -> EventDestination {
        guard let object = config?["destination"]?.objectValue else { return .orchestrator }
        if let agent = object["agent_id"]?.stringValue, let capability = object["capability"]?.stringValue {
            return .agent(id: agent, capability: capability)
        }
        return .orchestrator
    }

    static func isTelegramSecret(_ text: String) -> Bool {
        (1...256).contains(text.utf8.count) && text.utf8.allSatisfy { b in
            (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b == 95 || b == 45
        }
    }
}

/// Walks one config object, collecting public fields, secrets and every error.
private struct ConfigReader {
    let object: [String: JSONValue]
    let previous: [String: String]
    var seen: Set<String> = ["destination"]
    var publicFields: [String: JSONValue] = [:]
    var secrets: [String: String] = [:]
    var errors: [FieldError] = []

    init(object: [String: JSONValue], previous: [String: String]) {
        self.object = object
        self.previous = previous
    }

    mutating func fail(_ path: String, _ message: String) {
        errors.append(FieldError(path: "/config/" + path.replacingOccurrences(of: ".", with: "/"), message: message))
    }

    @discardableResult
    mutating func text(_ name: String, required: Bool) -> String? {
        seen.insert(name)
        guard let value = object[name] else {
            if required { fail(name, "is required") }
            return nil
        }
        guard let text = value.stringValue, !text.isEmpty else { fail(name, "must be a non-empty string"); return nil }
        publicFields[name] = value
        return text
    }

    /// A secret at the top level, or nested under `within` (n8n's auth object).
    @discardableResult
    mutating func secret(_ name: String, required: Bool, within: [String: JSONValue]? = nil, prefix: String = "") -> String? {
        let key = prefix + name
        if within == nil { seen.insert(name) }
        let source = within ?? object
        guard let value = source[name] else {
            if let kept = previous[key] { secrets[key] = kept; return kept }
            if required { fail(key, "is required") }
            return nil
        }
        guard let text = value.stringValue, !text.isEmpty else { fail(key, "must be a non-empty string"); return nil }
        secrets[key] = text
        return text
    }

    mutating func destination() -> EventDestination? {
        guard let value = object["destination"] else { return nil }
        guard let fields = value.objectValue else { fail("destination", "must be an object"); return nil }
        publicFields["destination"] = value
        if fields["orchestrator"]?.boolValue == true, fields.count == 1 { return .orchestrator }
        guard fields.count == 2, let agent = fields["agent_id"]?.stringValue, !agent.isEmpty,
              let capability = fields["capability"]?.stringValue, !capability.isEmpty else {
            fail("destination", "must be {agent_id, capability} or {orchestrator: true}")
            return nil
        }
        return .agent(id: agent, capability: capability)
    }

    mutating func n8nAuth() {
        seen.insert("auth")
        let value = object["auth"]
        let fields = value?.objectValue ?? [:]
        guard let kind = value?.stringValue ?? fields["type"]?.stringValue else {
            fail("auth", "is required: none, or {type: header|basic|bearer, …}")
            return
        }
        var shown: [String: JSONValue] = ["type": .string(kind)]
        let allowed: Set<String>
        switch kind {
        case "none":
            allowed = ["type"]
        case "header":
            allowed = ["type", "name", "value"]
            if let name = fields["name"]?.stringValue, !name.isEmpty { shown["name"] = .string(name) }
            else { fail("auth.name", "is required") }
            secret("value", required: true, within: fields, prefix: "auth.")
        case "basic":
            allowed = ["type", "username", "password"]
            if let user = fields["username"]?.stringValue, !user.isEmpty { shown["username"] = .string(user) }
            else { fail("auth.username", "is required") }
            secret("password", required: true, within: fields, prefix: "auth.")
        case "bearer":
            allowed = ["type", "token"]
            secret("token", required: true, within: fields, prefix: "auth.")
        default:
            fail("auth.type", "must be one of none, header, basic, bearer")
            return
        }
        for key in fields.keys.sorted() where !allowed.contains(key) { fail("auth." + key, "is not a known field") }
        publicFields["auth"] = .object(shown)
    }

    mutating func refuseUnknown() {
        for key in object.keys.sorted() where !seen.contains(key) { fail(key, "is not a known field for this type") }
    }
}
