/// A route handler: gets the request (with path parameters and principal set), returns a response.
public typealias Handler = @Sendable (Request) async throws -> Response

/// A handler that runs on the server's I/O thread and answers through `Reply`, now or later.
/// It must never block: anything slow is handed off, and the reply sent when it is done.
public typealias InlineHandler = @Sendable (Request, Reply) throws -> Void

/// How a route is answered.
public enum RouteHandler: Sendable {
    /// In a Swift task: for handlers that await (reads, plugin calls, most routes).
    case async(Handler)
    /// On the I/O thread, without a task: for hot routes whose work is short and whose waits are
    /// callbacks (webhook ingestion answers once the writer thread has committed).
    case inline(InlineHandler)
}

/// One registered route.
public struct Route: Sendable {
    public let method: HTTPMethod
    /// The pattern, with `{name}` for a parameter segment: `/api/v1/integrations/{id}`.
    public let pattern: String
    public let auth: AuthRequirement
    /// A body limit for this route instead of the server's (artifact uploads), or nil.
    public let maxBodyBytes: Int?
    let handler: RouteHandler
}

/// What matching a path gave.
public enum RouteMatch: Sendable {
    case found(Route, parameters: [String: String])
    /// The path exists but not for this method.
    case methodNotAllowed(allowed: [HTTPMethod])
    case notFound
}

/// Maps method and path to a handler, with `{name}` path parameters.
///
/// Patterns are stored in a segment trie: a lookup walks one node per path segment,
/// preferring a literal segment over a parameter at each level.
public final class Router: @unchecked Sendable {
    // Mutated only while the application is being wired, before the server starts;
    // read-only (and so safe to share) afterwards.
    private final class Node {
        var literals: [String: Node] = [:]
        var parameter: (name: String, node: Node)?
        var routes: [HTTPMethod: Route] = [:]
    }

    private let root = Node()
    public private(set) var routes: [Route] = []

    public init() {}

    /// Registers a handler. Registering the same method and pattern twice is a wiring bug and traps.
    public func add(_ method: HTTPMethod, _ pattern: String, auth: AuthRequirement, maxBodyBytes: Int? = nil,
                    _ handler: @escaping Handler) {
        add(method, pattern, auth: auth, maxBodyBytes: maxBodyBytes, handler: .async(handler))
    }

    /// Registers an inline handler (see `RouteHandler.inline`).
    public func add(_ method: HTTPMethod, _ pattern: String, auth: AuthRequirement, maxBodyBytes: Int? = nil,
                    inline handler: @escaping InlineHandler) {
        add(method, pattern, auth: auth, maxBodyBytes: maxBodyBytes, handler: .inline(handler))
    }

    private func add(_ method: HTTPMethod, _ pattern: String, auth: AuthRequirement, maxBodyBytes: Int?,
                     handler: RouteHandler) {
        var node = root
        for segment in Self.segments(pattern) {
            if segment.hasPrefix("{") && segment.hasSuffix("}") {
                let name = String(segment.dropFirst().dropLast())
                if let existing = node.parameter {
                    precondition(existing.name == name, "conflicting parameter names at \(pattern)")
                    node = existing.node
                } else {
                    let child = Node()
                    node.parameter = (name, child)
                    node = child
                }
            } else if let child = node.literals[segment] {
                node = child
            } else {
                let child = Node()
                node.literals[segment] = child
                node = child
            }
        }
        precondition(node.routes[method] == nil, "route registered twice: \(method) \(pattern)")
        let route = Route(method: method, pattern: pattern, auth: auth, maxBodyBytes: maxBodyBytes, handler: handler)
        node.routes[method] = route
        routes.append(route)
    }

    public func get(_ pattern: String, auth: AuthRequirement, _ handler: @escaping Handler) { add(.get, pattern, auth: auth, handler) }
    public func post(_ pattern: String, auth: AuthRequirement, _ handler: @escaping Handler) { add(.post, pattern, auth: auth, handler) }
    public func put(_ pattern: String, auth: AuthRequirement, maxBodyBytes: Int? = nil, _ handler: @escaping Handler) {
        add(.put, pattern, auth: auth, maxBodyBytes: maxBodyBytes, handler)
    }
    public func delete(_ pattern: String, auth: AuthRequirement, _ handler: @escaping Handler) { add(.delete, pattern, auth: auth, handler) }

    /// Finds the route for a method and path. HEAD is served by the GET route.
    public func match(_ method: HTTPMethod, _ path: String) -> RouteMatch {
        var parameters: [String: String] = [:]
        guard let node = find(Self.segments(path)[...], from: root, parameters: &parameters) else { return .notFound }
        if let route = node.routes[method] ?? (method == .head ? node.routes[.get] : nil) {
            return .found(route, parameters: parameters)
        }
        if node.routes.isEmpty { return .notFound }
        var allowed = Array(node.routes.keys)
        if node.routes[.get] != nil { allowed.append(.head) }
        return .methodNotAllowed(allowed: allowed)
    }

    private func find(_ segments: ArraySlice<String>, from node: Node, parameters: inout [String: String]) -> Node? {
        guard let segment = segments.first else { return node.routes.isEmpty ? nil : node }
        let rest = segments.dropFirst()
        if let child = node.literals[segment], let found = find(rest, from: child, parameters: &parameters) {
            return found
        }
        if let (name, child) = node.parameter, !segment.isEmpty {
            let saved = parameters
            parameters[name] = segment
            if let found = find(rest, from: child, parameters: &parameters) { return found }
            parameters = saved
        }
        return nil
    }

    /// `/a/b/` and `/a/b` are the same path; empty inner segments are kept (and match nothing).
    static func segments(_ path: String) -> [String] {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.first == "" { parts.removeFirst() }
        if parts.last == "" { parts.removeLast() }
        return parts
    }
}
