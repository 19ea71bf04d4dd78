import Foundation
import RenumCore

/// What checking a credential against its service said.
public enum CredentialVerdict: Sendable, Equatable {
    case valid
    case invalid(message: String)
    /// No plugin serving this service type can check credentials.
    case unsupported
    /// The check itself failed (timeout, plugin error): nothing is recorded.
    case failed(code: String, message: String)
}

/// Checks a credential with the plugin that serves its service type.
///
/// Implementations must never log or return the secret; `secrets` is the JSON object of
/// the credential's fields.
public protocol CredentialValidator: Sendable {
    func validate(serviceType: String, secrets: [UInt8], for owner: Principal, requestID: String) async -> CredentialVerdict
}

/// The validator before any plugin offers validation: every service type is unsupported.
public struct NoCredentialValidator: CredentialValidator {
    public init() {}
    public func validate(serviceType: String, secrets: [UInt8], for owner: Principal, requestID: String) async -> CredentialVerdict {
        .unsupported
    }
}
