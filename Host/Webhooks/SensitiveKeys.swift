/// Which JSON keys and header names hold secrets or personal data.
///
/// This runs for every key of every logged payload, so names are matched on their UTF-8
/// bytes, without Foundation and without allocating. Every real key and header name is
/// ASCII; a name with other characters takes `UnicodeNameMatching`, the previous
/// Foundation-based comparison, so the results for those rare names do not change.
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

    static let secretNames = [
        "token", "secret", "password", "passwd", "api_key", "apikey", "access_token", "refresh_token",
        "authorization", "bot_token", "app_secret", "webhook_secret", "signing_secret", "client_secret",
        "verify_token", "webhook_verify_token", "private_key", "cookie",
    ]
    static let secretFragments = ["token", "secret", "password", "api_key", "apikey", "private_key"]

    // WhatsApp carries the customer's number as wa_id, from, to and recipient_id, and
    // their name under contacts[].profile; Telegram names people with *_name and username.
    static let personalNames = [
        "phone", "phone_number", "wa_id", "from", "to", "recipient_id", "display_phone_number",
        "email", "e_mail", "mail", "input", "profile", "first_name", "last_name", "full_name", "username",
    ]
    static let personalFragments = ["phone", "email"]

    static let timestampNames = ["timestamp", "date", "edit_date", "time"]

    static let secretHeaders = [
        "authorization", "proxy-authorization", "cookie", "set-cookie", "x-hub-signature-256", "x-hub-signature",
        "x-telegram-bot-api-secret-token", "x-make-apikey", "webhook-signature", "x-api-key",
    ]
    static let secretHeaderFragments = ["token", "secret", "key", "signature", "auth", "cookie", "password"]

    // Built once (a Swift global's lazy initialisation is thread-safe and lock-free after it).
    private static let keyMatcher = NameMatcher(
        names: [(secretNames, .secret), (personalNames, .personal), (timestampNames, .keepDigits)],
        fragments: [(secretFragments, .secret), (personalFragments, .personal)], folding: .keyName)
    private static let headerMatcher = NameMatcher(
        names: [(secretHeaders, .secret)], fragments: [(secretHeaderFragments, .secret)], folding: .headerName)

    /// The category of a JSON key (case and `-`/`_` insensitive). A secret name or fragment
    /// wins over a personal one, and both over a timestamp name.
    static func category(_ key: String) -> Category {
        guard let match = TextBytes.withBytes(of: key, keyMatcher.match) else { return UnicodeNameMatching.category(key) }
        if match.name == .secret || match.fragment == .secret { return .secret }
        if match.name == .personal || match.fragment == .personal { return .personal }
        return match.name ?? .ordinary
    }

    /// Whether a header's value is a credential or signature, to be replaced whole.
    static func isSecretHeader(_ name: String) -> Bool {
        guard let match = TextBytes.withBytes(of: name, headerMatcher.match) else { return UnicodeNameMatching.isSecretHeader(name) }
        return match.name == .secret || match.fragment == .secret
    }
}
