/// Why a verified body could not be turned into envelopes; the caller answers 400.
public enum NormalizationError: Error, Sendable, Hashable {
    /// The body is not JSON.
    case malformedJSON
    /// The body is JSON but lacks what the platform always sends (the message is safe to return).
    case unexpectedShape(String)

    /// A message that is safe to send back: it never quotes the body.
    public var message: String {
        switch self {
        case .malformedJSON: return "the body is not valid JSON"
        case .unexpectedShape(let detail): return detail
        }
    }
}
