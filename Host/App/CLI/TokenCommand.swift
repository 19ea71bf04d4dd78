import Foundation
import RenumSecurity

/// `renum token`: mints a development JWT with the configured secret.
enum TokenCommand {
    static let specs: [OptionSpec] = [
        OptionSpec(flag: "sub", environment: nil, valueName: "UUID", defaultText: "", help: "the user id (required)"),
        OptionSpec(flag: "admin", environment: nil, valueName: nil, defaultText: "", help: "set app_metadata.role to admin"),
        OptionSpec(flag: "email", environment: nil, valueName: "EMAIL", defaultText: "", help: "the email claim"),
        OptionSpec(flag: "ttl", environment: nil, valueName: "DURATION", defaultText: "1h", help: "lifetime: 90s, 30m, 1h, 7d"),
        OptionSpec(flag: "jwt-audience", environment: "RENUM_JWT_AUDIENCE", valueName: "AUD", defaultText: "authenticated", help: "the aud claim"),
    ]

    static let help = """
    Usage: renum token --sub UUID [--admin] [--ttl 1h] [--email EMAIL]

    Prints a JWT signed (HS256) with RENUM_JWT_SECRET, shaped like a Supabase access
    token, for local development and scripts.

    Options:
    \(ParsedOptions.help(for: specs))
    """

    static func run(arguments: [String], environment: [String: String]) -> Int32 {
        do {
            let options = try ParsedOptions(arguments: arguments, specs: specs, environment: environment)
            guard let subText = options.string("sub") else { throw ConfigurationError("--sub UUID is required") }
            guard let subject = UUID(uuidString: subText) else { throw ConfigurationError("--sub must be a UUID, got '\(subText)'") }
            let ttl = try parseDuration(options.string("ttl") ?? "1h")
            let secret = try ServeOptions.jwtSecret(environment)
            let issuer = JWTIssuer(JWTConfiguration(secret: secret, audience: options.string("jwt-audience") ?? "authenticated"))
            print(issuer.mint(subject: subject, admin: options.isSet("admin"), email: options.string("email"), ttl: ttl))
            return 0
        } catch {
            RenumCommand.printError(String(describing: error))
            return 2
        }
    }

    /// `90`, `90s`, `30m`, `1h`, `7d` → seconds.
    static func parseDuration(_ text: String) throws(ConfigurationError) -> TimeInterval {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        var digits = text
        var factor = 1.0
        if let last = text.last, let unit = units[last] {
            digits = String(text.dropLast())
            factor = unit
        }
        guard let value = Double(digits), value > 0, value * factor <= 366 * 86400 else {
            throw ConfigurationError("--ttl must be a positive duration up to 366d such as 90s, 30m, 1h or 7d, got '\(text)'")
        }
        return value * factor
    }
}
