/// The outcome of verifying one delivery.
public enum VerificationResult: Sendable, Hashable {
    /// The request is authentic; its body may be parsed and processed.
    case verified
    /// The request must be answered 401, logged and counted, and never routed.
    case rejected(reason: RejectionReason)

    /// True for `.verified`.
    public var isVerified: Bool { self == .verified }
}

/// Why a delivery was refused. Messages are safe to log and to send back: they never
/// contain secrets, signatures or any part of what the caller presented.
public enum RejectionReason: String, Sendable, Hashable, CaseIterable {
    /// The signature header is absent.
    case missingSignature
    /// A signature was present and well formed but does not match.
    case badSignature
    /// The Standard Webhooks timestamp is more than the tolerance away from now.
    case staleTimestamp
    /// A verification header exists but cannot be parsed.
    case malformedHeader
    /// The token, API key or credentials header is absent.
    case missingCredential
    /// A credential was presented but is wrong.
    case badCredential
    /// The integration's own settings cannot verify anything (an empty secret, a bad stored hash).
    case misconfigured

    /// A stable, machine-readable code (snake_case), for logs and error bodies.
    public var code: String {
        switch self {
        case .missingSignature: return "missing_signature"
        case .badSignature: return "bad_signature"
        case .staleTimestamp: return "stale_timestamp"
        case .malformedHeader: return "malformed_header"
        case .missingCredential: return "missing_credential"
        case .badCredential: return "bad_credential"
        case .misconfigured: return "misconfigured"
        }
    }

    /// A human-readable explanation that reveals nothing secret.
    public var message: String {
        switch self {
        case .missingSignature: return "the request carries no signature"
        case .badSignature: return "the signature does not match the body"
        case .staleTimestamp: return "the signature timestamp is outside the allowed window"
        case .malformedHeader: return "a verification header is malformed"
        case .missingCredential: return "the request carries no credential"
        case .badCredential: return "the credential is not valid for this integration"
        case .misconfigured: return "the integration cannot verify requests; check its configuration"
        }
    }
}
