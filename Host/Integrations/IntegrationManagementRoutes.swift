import Foundation
import RenumCore
import RenumHTTP
import RenumStorage

/// The owner's integration API: CRUD with type-checked config and sealed secrets, and
/// `regenerate-token`. Every handler reaches rows through the caller's principal, so another
/// user's integration is indistinguishable from a missing one (404).
struct IntegrationManagementRoutes: Sendable {
    let service: IntegrationService

    func register(on router: Router) {
        let service = self.service, repository = service.repository
        router.get("/api/v1/integrations", auth: .user) { request in
            let owner = try request.requirePrincipal()
            let pagination = try Pagination(request)
            let records = try repository.list(for: owner, limit: pagination.perPage, offset: pagination.offset)
            let total = try repository.count(for: owner)
            return Response.json(Page(items: records.map { service.resource($0) }, total: total, pagination: pagination))
        }
        router.post("/api/v1/integrations", auth: .user) { request in
            let owner = try request.requirePrincipal()
            let resource = try await service.create(request.jsonObject(), owner: owner)
            var response = Response.json(resource, status: 201)
            response.headers.set("Location", "/api/v1/integrations/\(resource.id)")
            return response
        }
        router.get("/api/v1/integrations/{id}", auth: .user) { request in
            let owner = try request.requirePrincipal()
            guard let record = try repository.find(try request.uuidParameter("id"), for: owner) else { throw Self.notFound }
            return Response.json(service.resource(record))
        }
        router.put("/api/v1/integrations/{id}", auth: .user) { request in
            let owner = try request.requirePrincipal()
            let id = try request.uuidParameter("id")
            guard let resource = try await service.update(id, request.jsonObject(), owner: owner) else { throw Self.notFound }
            return Response.json(resource)
        }
        router.delete("/api/v1/integrations/{id}", auth: .user) { request in
            let owner = try request.requirePrincipal()
            guard try await service.delete(try request.uuidParameter("id"), owner: owner) else { throw Self.notFound }
            return Response.noContent
        }
        router.post("/api/v1/integrations/{id}/regenerate-token", auth: .user) { request in
            let owner = try request.requirePrincipal()
            guard let resource = try await service.regenerateToken(try request.uuidParameter("id"), owner: owner) else {
                throw Self.notFound
            }
            return Response.json(resource)
        }
    }

    static let notFound = APIError.notFound("No such integration.")
}
