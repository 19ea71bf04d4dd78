import Foundation

/// How Supabase-style HS256 JWTs are checked and minted.
public struct JWTConfiguration: Sendable {
    /// The HS256 key: `RENUM_JWT_SECRET` as UTF-8 bytes, exactly as Supabase uses it (not base64-decoded).
    public var secret: [UInt8]
    /// The `aud` a token must carry; Supabase user tokens say "authenticated".
    public var audience: String
    /// The required `iss`, checked only when set (Supabase's is `https://<ref>.supabase.co/auth/v1`).
    public var issuer: String?
    /// Seconds of clock skew allowed on `exp` and `nbf`.
    public var leeway: TimeInterval

    /// A configuration with Supabase's defaults.
    public init(secret: [UInt8], audience: String = "authenticated", issuer: String? = nil, leeway: TimeInterval = 30) {
        self.secret = secret
        self.audience = audience
        self.issuer = issuer
        self.leeway = leeway
    }
}
