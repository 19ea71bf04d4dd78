import Foundation
import RenumCore

/// Who may call a route.
public enum AuthRequirement: Sendable, Equatable {
    /// Anyone; no token is read.
    case none
    /// A valid user token.
    case user
    /// A valid token whose `app_metadata.role` is `admin`.
    case admin
}

/// A fully received HTTP request, as handlers see it.
public struct Request: Sendable {
    /// The request id: the client's `X-Request-Id` when well formed, otherwise generated.
    public let id: String
    public let method: HTTPMethod
    /// The decoded path, without the query string.
    public let path: String
    /// Query arguments, already percent-decoded. A repeated name keeps its last value.
    public let query: [String: String]
    public let headers: HTTPHeaders
    public let body: [UInt8]
    /// The peer's IP address as text.
    public let remoteAddress: String
    /// When the server started reading this request (monotonic nanoseconds).
    public let receivedAt: UInt64

    /// The matched route pattern (`/api/v1/integrations/{id}`), or nil when nothing matched.
    public internal(set) var route: String?
    /// Values of the pattern's `{name}` segments.
    public internal(set) var parameters: [String: String] = [:]
    /// Who may call the matched route.
    public internal(set) var authRequirement: AuthRequirement = .none
    /// The authenticated caller, set by the auth middleware for routes that require one.
    public var principal: Principal?

    public init(id: String, method: HTTPMethod, path: String, query: [String: String] = [:],
                headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], remoteAddress: String = "",
                receivedAt: UInt64 = Monotonic.now()) {
        self.id = id
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.receivedAt = receivedAt
    }

    /// The caller, for handlers of routes declared with `.user` or `.admin`.
    /// Throws 401 if a handler asks for it on a route without auth: a wiring bug, not a client error,
    /// but failing closed is the safe answer.
    public func requirePrincipal() throws(APIError) -> Principal {
        guard let principal else { throw APIError.unauthorized("Authentication is required.") }
        return principal
    }

    /// A path parameter by name; throws 404 when absent (a pattern without it is a wiring bug).
    public func parameter(_ name: String) throws(APIError) -> String {
        guard let value = parameters[name] else { throw APIError.notFound("Not found.") }
        return value
    }

    /// A path parameter that must be a UUID. A malformed id is answered 404, like a missing row:
    /// it names nothing the caller could own.
    public func uuidParameter(_ name: String) throws(APIError) -> UUID {
        guard let value = parameters[name], let id = UUID(text: value) else {
            throw APIError.notFound("No such resource.")
        }
        return id
    }
}
