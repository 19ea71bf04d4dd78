import Foundation
import RenumCore
import RenumHTTP

/// Who a staged version serves besides admins: chosen tenants and/or a percentage of users.
///
/// The percentage uses Unleash's stable bucket (murmur3 of "agent_id:user_id"), so a user
/// stays in or out of a canary across requests, restarts and hosts.
public struct CanaryPolicy: Sendable, Equatable {
    public var tenants: Set<UUID>
    public var percentage: Int

    public static let none = CanaryPolicy(tenants: [], percentage: 0)

    public init(tenants: Set<UUID>, percentage: Int) {
        self.tenants = tenants
        self.percentage = percentage
    }

    /// Reads the stored JSON text (unknown or broken text is no canary).
    public init(storedJSON: String) {
        let value = JSONText.decode(storedJSON)
        tenants = Set((value?["tenants"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap(UUID.init(text:)) })
        percentage = Int(value?["percentage"]?.numberValue ?? 0)
    }

    /// Reads a request body's `canary` object, naming bad fields.
    init(body: JSONValue?) throws(APIError) {
        guard let body else { self = .none; return }
        guard case .object(let members) = body else {
            throw APIError.validation([FieldError(path: "/canary", message: "must be an object {tenants, percentage}")])
        }
        var errors: [FieldError] = members.keys.filter { !["tenants", "percentage"].contains($0) }.sorted()
            .map { FieldError(path: "/canary/\(JSONPointer.escape($0))", message: "is not a known field") }
        var tenants = Set<UUID>()
        if let list = members["tenants"] {
            let ids = list.arrayValue?.compactMap { $0.stringValue.flatMap(UUID.init(text:)) }
            if let ids, ids.count == list.arrayValue?.count { tenants = Set(ids) }
            else { errors.append(FieldError(path: "/canary/tenants", message: "must be an array of user UUIDs")) }
        }
        var percentage = 0
        if let value = members["percentage"] {
            if let number = value.numberValue, number.rounded() == number, (0...100).contains(Int(number)) { percentage = Int(number) }
            else { errors.append(FieldError(path: "/canary/percentage", message: "must be an integer from 0 to 100")) }
        }
        if !errors.isEmpty { throw APIError.validation(errors) }
        self.init(tenants: tenants, percentage: percentage)
    }

    public func includes(userID: UUID, agentID: String) -> Bool {
        if tenants.contains(userID) { return true }
        guard percentage > 0 else { return false }
        return Murmur3.bucket(group: agentID, id: userID.lowercasedString) <= percentage
    }

    public var json: JSONValue {
        ["tenants": .array(tenants.map { .string($0.lowercasedString) }.sorted { $0.stringValue! < $1.stringValue! }),
         "percentage": .number(Double(percentage))]
    }
}
