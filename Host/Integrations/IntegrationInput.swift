import Foundation
import RenumCore
import RenumHTTP
import RenumStorage

/// Reads integration request bodies into storage values, collecting every invalid field.
///
/// Unknown fields are refused rather than ignored: a client that sends `user_id` (to plant
/// a row in another tenant) or misspells `rate_limit_per_minute` learns so at once.
enum IntegrationInput {
    static let defaultRateLimitPerMinute = 60
    static let rateLimitRange = 1...100_000
    static let maxNameLength = 200

    static let creatableFields: Set<String> = ["name", "type", "config", "rate_limit_per_minute", "status"]

    /// A create body: `name` and `type` required.
    static func newIntegration(from body: [String: JSONValue]) throws(APIError) -> NewIntegration {
        var errors = unknownFieldErrors(body)
        let name = readName(body["name"], required: true, into: &errors)
        let type = readType(body["type"], required: true, into: &errors)
        let status = readStatus(body["status"], into: &errors)
        let config = readConfig(body["config"], into: &errors)
        let rate = readRateLimit(body["rate_limit_per_minute"], into: &errors)
        guard errors.isEmpty, let name, let type else { throw APIError.validation(errors) }
        return NewIntegration(name: name, type: type.rawValue, status: (status ?? .active).rawValue,
                              config: config ?? "{}", rateLimitPerMinute: rate ?? defaultRateLimitPerMinute)
    }

    /// An update body: every field optional, at least one present.
    static func changes(from body: [String: JSONValue]) throws(APIError) -> IntegrationChanges {
        var errors = unknownFieldErrors(body)
        if body.isEmpty { errors.append(FieldError(path: "", message: "must change at least one field")) }
        let name = readName(body["name"], required: false, into: &errors)
        let type = readType(body["type"], required: false, into: &errors)
        let status = readStatus(body["status"], into: &errors)
        let config = readConfig(body["config"], into: &errors)
        let rate = readRateLimit(body["rate_limit_per_minute"], into: &errors)
        guard errors.isEmpty else { throw APIError.validation(errors) }
        return IntegrationChanges(name: name, type: type?.rawValue, status: status?.rawValue, config: config,
                                  rateLimitPerMinute: rate)
    }

    private static func unknownFieldErrors(_ body: [String: JSONValue]) -> [FieldError] {
        body.keys.filter { !creatableFields.contains($0) }.sorted().map { key in
            key == "user_id"
                ? FieldError(path: "/user_id", message: "cannot be set: an integration always belongs to the caller")
                : FieldError(path: "/\(JSONPointer.escape(key))", message: "is not a known field")
        }
    }

    private static func readName(_ value: JSONValue?, required: Bool, into errors: inout [FieldError]) -> String? {
        guard let value else {
            if required { errors.append(FieldError(path: "/name", message: "is required")) }
            return nil
        }
        guard case .string(let raw) = value else {
            errors.append(FieldError(path: "/name", message: "must be a string, not \(value.typeName)"))
            return nil
        }
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= maxNameLength else {
            errors.append(FieldError(path: "/name", message: "must be 1 to \(maxNameLength) characters"))
            return nil
        }
        return name
    }

    private static func readType(_ value: JSONValue?, required: Bool, into errors: inout [FieldError]) -> IntegrationType? {
        guard let value else {
            if required { errors.append(FieldError(path: "/type", message: "is required")) }
            return nil
        }
        guard let text = value.stringValue, let type = IntegrationType(rawValue: text) else {
            let allowed = IntegrationType.allCases.map(\.rawValue).joined(separator: ", ")
            errors.append(FieldError(path: "/type", message: "must be one of \(allowed)"))
            return nil
        }
        return type
    }

    private static func readStatus(_ value: JSONValue?, into errors: inout [FieldError]) -> IntegrationStatus? {
        guard let value else { return nil }
        // `error` is set by the server after repeated failures, never by a client.
        guard let text = value.stringValue, let status = IntegrationStatus(rawValue: text), status != .error else {
            errors.append(FieldError(path: "/status", message: "must be active or inactive"))
            return nil
        }
        return status
    }

    private static func readConfig(_ value: JSONValue?, into errors: inout [FieldError]) -> String? {
        guard let value else { return nil }
        guard case .object = value else {
            errors.append(FieldError(path: "/config", message: "must be an object, not \(value.typeName)"))
            return nil
        }
        return JSONText.encode(value)
    }

    private static func readRateLimit(_ value: JSONValue?, into errors: inout [FieldError]) -> Int? {
        guard let value else { return nil }
        guard case .number(let number) = value, number.rounded() == number, rateLimitRange.contains(Int(exactly: number) ?? -1) else {
            errors.append(FieldError(path: "/rate_limit_per_minute",
                                     message: "must be an integer from \(rateLimitRange.lowerBound) to \(rateLimitRange.upperBound)"))
            return nil
        }
        return Int(number)
    }
}
