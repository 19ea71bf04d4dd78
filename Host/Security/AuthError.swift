/// Why a request could not be authenticated.
///
/// Messages are fixed texts, safe to show clients: they never include token
/// bytes, claim values or the secret.
public struct AuthError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure, stable for mapping to HTTP responses and metrics.
    public enum Reason: String, Sendable {
        case missing, malformed, unsupportedAlgorithm, badSignature, expired, notYetValid
        case wrongAudience, wrongIssuer, invalidSubject
    }

    /// The kind of failure.
    public let reason: Reason
    /// A client-safe explanation.
    public let message: String

    /// An error with `reason` and a client-safe `message`.
    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    /// `reason: message`.
    public var description: String { "\(reason.rawValue): \(message)" }
}
