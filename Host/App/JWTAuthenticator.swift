import RenumCore
import RenumHTTP
import RenumSecurity

/// Authenticates requests by their Supabase-style bearer JWT.
struct JWTAuthenticator: Authenticator {
    let verifier: JWTVerifier

    func authenticate(_ request: Request) throws(APIError) -> Principal {
        do {
            return try verifier.authenticate(authorizationHeader: request.headers["Authorization"])
        } catch {
            throw APIError.unauthorized(error.message, code: Self.code(for: error.reason))
        }
    }

    static func code(for reason: AuthError.Reason) -> String {
        switch reason {
        case .missing: return "UNAUTHORIZED"
        case .expired: return "TOKEN_EXPIRED"
        case .notYetValid: return "TOKEN_NOT_YET_VALID"
        default: return "INVALID_TOKEN"
        }
    }
}
