import RenumCore

/// Establishes who is calling, from the request's credentials.
///
/// Implementations must be safe to call concurrently and must throw a 401 `APIError`
/// whose message names no secret and echoes no token bytes.
public protocol Authenticator: Sendable {
    func authenticate(_ request: Request) throws(APIError) -> Principal
}

/// Enforces each route's `AuthRequirement`: 401 without a valid token, 403 for a
/// non-admin on an admin route. Routes declared `.none` never look at the token.
public struct AuthMiddleware: Middleware {
    let authenticator: any Authenticator

    public init(authenticator: any Authenticator) {
        self.authenticator = authenticator
    }

    public func prepare(_ request: inout Request) throws -> Response? {
        guard request.authRequirement != .none else { return nil }
        let principal = try authenticator.authenticate(request)
        if request.authRequirement == .admin, !principal.isAdmin {
            throw APIError.forbidden("This route is for administrators.")
        }
        request.principal = principal
        return nil
    }
}
