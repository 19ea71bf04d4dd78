/// How one integration's deliveries prove they come from its provider.
///
/// Secrets are held here only for the duration of a verification; the caller decrypts
/// them from the vault and builds this value per request (or caches it in memory).
public enum VerificationConfig: Sendable, Hashable {
    /// `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app_secret, raw body)>`.
    case whatsapp(appSecret: String)
    /// `X-Telegram-Bot-Api-Secret-Token` equal to the `secret_token` given to `setWebhook`.
    case telegram(webhookSecret: String)
    /// `x-make-apikey` equal to `apiKey`; without an API key, the integration bearer token.
    case make(apiKey: String?, tokenHash: String)
    /// The auth the n8n webhook node was configured with.
    case n8n(N8nAuth)
    /// `Authorization: Bearer <integration token>`, checked against the stored SHA-256 hex.
    case zapier(tokenHash: String)
    /// `Authorization: Bearer <integration token>`, checked against the stored SHA-256 hex.
    case generic(tokenHash: String)
    /// Standard Webhooks signatures, for any platform whose config has a `signing_secret`.
    case standardWebhooks(StandardWebhookSecret)
}

/// The authentication options of n8n's webhook node.
public enum N8nAuth: Sendable, Hashable {
    /// No authentication: every request is accepted (the unguessable URL is the only secret).
    case none
    /// A custom header that must carry exactly `value`.
    case header(name: String, value: String)
    /// HTTP Basic with these credentials.
    case basic(username: String, password: String)
    /// `Authorization: Bearer <token>`.
    case bearer(token: String)
}
