extension WebhookVerifier {
    /// A header that must carry exactly the configured secret (Telegram, Make, n8n header auth).
    func verifyHeaderSecret(_ request: InboundWebhook, header: String, expected: String) -> VerificationResult {
        guard !expected.isEmpty else { return .rejected(reason: .misconfigured) }
        guard let presented = request.headers[header], !presented.isEmpty else {
            return .rejected(reason: .missingCredential)
        }
        return SecretComparison.equal(presented, expected) ? .verified : .rejected(reason: .badCredential)
    }

    /// `Authorization: Bearer <integration token>` against the stored SHA-256 hex of the token.
    func verifyIntegrationToken(_ request: InboundWebhook, tokenHash: String) -> VerificationResult {
        guard let header = request.headers["Authorization"] else { return .rejected(reason: .missingCredential) }
        guard case .credential(let token) = AuthorizationHeader.bearer(header) else {
            return .rejected(reason: .malformedHeader)
        }
        guard let matches = SecretComparison.matchesStoredHash(token, storedHex: tokenHash) else {
            return .rejected(reason: .misconfigured)
        }
        return matches ? .verified : .rejected(reason: .badCredential)
    }

    /// The n8n webhook node's auth options.
    func verifyN8n(_ request: InboundWebhook, auth: N8nAuth) -> VerificationResult {
        switch auth {
        case .none:
            return .verified
        case .header(let name, let value):
            guard !name.isEmpty else { return .rejected(reason: .misconfigured) }
            return verifyHeaderSecret(request, header: name, expected: value)
        case .basic(let username, let password):
            guard !username.isEmpty || !password.isEmpty else { return .rejected(reason: .misconfigured) }
            guard let header = request.headers["Authorization"] else { return .rejected(reason: .missingCredential) }
            guard case .credential(let pair) = AuthorizationHeader.basic(header) else {
                return .rejected(reason: .malformedHeader)
            }
            // Comparing the whole `user:password` at once checks both without revealing which was wrong.
            return SecretComparison.equal(pair, "\(username):\(password)") ? .verified : .rejected(reason: .badCredential)
        case .bearer(let expected):
            guard !expected.isEmpty else { return .rejected(reason: .misconfigured) }
            guard let header = request.headers["Authorization"] else { return .rejected(reason: .missingCredential) }
            guard case .credential(let token) = AuthorizationHeader.bearer(header) else {
                return .rejected(reason: .malformedHeader)
            }
            return SecretComparison.equal(token, expected) ? .verified : .rejected(reason: .badCredential)
        }
    }
}
