import Foundation
import RenumCore
import RenumHTTP
import RenumStorage

/// The registry API: listing and describing agents for everyone, versions and lifecycle for admins.
public struct RegistryRoutes: Sendable {
    let registry: RegistryService
    /// Largest artifact accepted by the upload route.
    let maxArtifactBytes: Int

    public init(registry: RegistryService, maxArtifactBytes: Int = 64 << 20) {
        self.registry = registry
        self.maxArtifactBytes = maxArtifactBytes
    }

    public func register(on router: Router) {
        let registry = self.registry
        router.get("/api/v1/agents", auth: .user) { request in
            let principal = try request.requirePrincipal()
            if let status = request.query["status"], AgentStatus(rawValue: status) == nil {
                throw APIError.validation([FieldError(path: "?status", message: "must be draft, staged, approved or deprecated")])
            }
            let listings = try registry.listings(for: principal, status: request.query["status"],
                                                 capability: request.query["capability"], query: request.query["q"])
            let pagination = try Pagination(request)
            let page = Array(listings.dropFirst(pagination.offset).prefix(pagination.perPage))
            return Response.json(Page(items: page, total: listings.count, pagination: pagination))
        }
        router.post("/api/v1/agents", auth: .admin) { request in
            let admin = try request.requirePrincipal()
            _ = try request.jsonBody()   // media type and well-formedness, with the usual 415/400
            let record = try await registry.create(manifestBody: request.body, by: admin)
            var response = Response.json(try Self.resource(record, registry, admin, manifest: true), status: 201)
            response.headers.set("Location", "/api/v1/agents/\(record.agentID)?version=\(record.version)")
            return response
        }
        router.get("/api/v1/agents/{agent_id}", auth: .user) { request in
            let principal = try request.requirePrincipal()
            let record = try registry.resolve(agentID: try request.parameter("agent_id"), version: request.query["version"], for: principal)
            return Response.json(try Self.resource(record, registry, principal, manifest: true))
        }
        router.get("/api/v1/agents/{agent_id}/versions", auth: .user) { request in
            let principal = try request.requirePrincipal()
            let versions = try registry.versions(of: try request.parameter("agent_id"), for: principal)
            var writer = JSONWriter()
            writer.object { w in
                w.key("items")
                w.array(versions) { w, record in
                    if let resource = try? Self.resource(record, registry, principal, manifest: false) { w.encode(resource) }
                }
                w.field("total", versions.count)
            }
            return Self.jsonResponse(writer)
        }
        router.put("/api/v1/agents/{agent_id}/versions/{version}/artifact", auth: .admin, maxBodyBytes: maxArtifactBytes) { request in
            let admin = try request.requirePrincipal()
            let mediaType = request.headers["Content-Type"]?.lowercased() ?? ""
            guard mediaType.hasPrefix("application/octet-stream") else {
                throw APIError.unsupportedMediaType("Send the shared library as application/octet-stream.")
            }
            let record = try await registry.storeArtifact(agentID: try request.parameter("agent_id"),
                                                          version: try request.parameter("version"), bytes: request.body, by: admin)
            return Response.json(try Self.resource(record, registry, admin, manifest: false))
        }
        for action in LifecycleAction.allCases {
            router.put("/api/v1/agents/{agent_id}/\(action.rawValue)", auth: .admin) { request in
                let admin = try request.requirePrincipal()
                guard let version = request.query["version"], !version.isEmpty else {
                    throw APIError.validation([FieldError(path: "?version", message: "is required")])
                }
                var canary: CanaryPolicy?
                if action == .stage, !request.body.isEmpty {
                    let body = try request.jsonObject()
                    let unknown = body.keys.filter { $0 != "canary" }.sorted()
                    if !unknown.isEmpty {
                        throw APIError.validation(unknown.map { FieldError(path: "/\(JSONPointer.escape($0))", message: "is not a known field") })
                    }
                    canary = try CanaryPolicy(body: body["canary"])
                }
                let record = try await registry.perform(action, agentID: try request.parameter("agent_id"), version: version,
                                                        canary: canary, by: admin)
                return Response.json(try Self.resource(record, registry, admin, manifest: false))
            }
        }
    }

    static func resource(_ record: AgentVersionRecord, _ registry: RegistryService, _ principal: Principal,
                         manifest: Bool) throws(APIError) -> AgentVersionResource {
        AgentVersionResource(record: record, manifest: try registry.manifest(of: record), forAdmin: principal.isAdmin,
                             includeManifest: manifest)
    }

    static func jsonResponse(_ writer: JSONWriter) -> Response {
        var response = Response(status: 200, body: writer.bytes)
        response.headers.set("Content-Type", "application/json")
        return response
    }
}
