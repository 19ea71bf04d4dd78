/// Which JSON keys and header names hold secrets or personal data.
enum SensitiveKeys {
    enum Category: Equatable {
        /// Replaced whole: credentials of any kind.
        case secret
        /// Masked with a hint: phone numbers, addresses, people's ids.
        case personal
        /// Digit strings kept as they are (provider timestamps).
        case keepDigits
        case ordinary
    }

    private static let secretNames: Set<String> = [
        "token", "secret", "password", "passwd", "api_key", "apikey", "access_token", "refresh_token",
        "authorization", "bot_token", "app_secret", "webhook_secret", "signing_secret", "client_secret",
        "verify_token", "webhook_verify_token", "private_key", "cookie",
    ]
    private static let secretFragments = ["token", "secret", "password", "api_key", "apikey", "private_key"]

    // WhatsApp carries the customer's number as wa_id, from, to and recipient_id, and
    // their name under contacts[].profile; Telegram names people with *_name and username.
    private static let personalNames: Set<String> = [
        "phone", "phone_number", "wa_id", "from", "to", "recipient_id", "display_phone_number",
        "email", "e_mail", "mail", "input", "profile", "first_name", "last_name", "full_name", "username",
    ]
    private static let personalFragments = ["phone", "email"]

    private static let timestampNames: Set<String> = ["timestamp", "date", "edit_date", "time"]

    /// The category of a JSON key (case and `-`/`_` insensitive).
    static func category(_ key: String) -> Category {
        let name = key.lowercased().replacingOccurrences(of: "-", with: "_")
        if secretNames.contains(name) || secretFragments.contains(where: name.contains) { return .secret }
        if personalNames.contains(name) || personalFragments.contains(where: name.contains) { return .personal }
        if timestampNames.contains(name) { return .keepDigits }
        return .ordinary
    }

    private static let secretHeaders: Set<String> = [
        "authorization", "proxy-authorization", "cookie", "set-cookie", "x-hub-signature-256", "x-hub-signature",
        "x-telegram-bot-api-secret-token", "x-make-apikey", "webhook-signature", "x-api-key",
    ]
    private static let secretHeaderFragments = ["token", "secret", "key", "signature", "auth", "cookie", "password"]

    /// Whether a header's value is a credential or signature, to be replaced whole.
    static func isSecretHeader(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return secretHeaders.contains(lowered) || secretHeaderFragments.contains(where: lowered.contains)
    }
}
