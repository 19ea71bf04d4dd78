import Foundation

/// A Standard Webhooks signing secret (`whsec_<base64>`), decoded to its HMAC key.
///
/// Parsed when an integration is configured, so a malformed secret is refused there
/// rather than turning every later delivery into a rejection.
public struct StandardWebhookSecret: Sendable, Hashable {
    /// The HMAC-SHA256 key: the base64-decoded part after `whsec_`.
    let key: [UInt8]

    /// Parses `whsec_<standard base64>`; the prefix is optional, as in the reference libraries.
    public init(_ text: String) throws(WebhookConfigError) {
        let encoded = text.hasPrefix("whsec_") ? String(text.dropFirst(6)) : text
        guard let data = Data(base64Encoded: encoded), !data.isEmpty else {
            throw .malformedSigningSecret
        }
        self.key = Array(data)
    }

    /// A secret from raw key bytes (tests and secret generation).
    public init(keyBytes: [UInt8]) throws(WebhookConfigError) {
        guard !keyBytes.isEmpty else { throw .malformedSigningSecret }
        self.key = keyBytes
    }
}

/// An integration's verification settings that cannot work.
public enum WebhookConfigError: Error, Sendable, Hashable {
    /// `signing_secret` is not `whsec_` followed by standard base64.
    case malformedSigningSecret
}
