import Foundation
import RenumCore
import RenumHTTP
import RenumStorage

/// The tenant-scoped integration API: `/api/v1/integrations[/{id}]`.
///
/// Every handler reaches rows through `IntegrationRepository` with the caller's principal,
/// so another user's integration is indistinguishable from a missing one (404).
public struct IntegrationRoutes: Sendable {
    let repository: IntegrationRepository

    public init(store: any Store) {
        repository = IntegrationRepository(store: store)
    }

    public func register(on router: Router) {
        let repository = self.repository
        router.get("/api/v1/integrations", auth: .user) { request in
            let owner = try request.requirePrincipal()
            let pagination = try Pagination(request)
            let records = try repository.list(for: owner, limit: pagination.perPage, offset: pagination.offset)
            let total = try repository.count(for: owner)
            return Response.json(Page(items: records.map { IntegrationResource($0) }, total: total, pagination: pagination))
        }
        router.post("/api/v1/integrations", auth: .user) { request in
            let owner = try request.requirePrincipal()
            let new = try IntegrationInput.newIntegration(from: request.jsonObject())
            let record = try await repository.create(new, for: owner)
            var response = Response.json(IntegrationResource(record), status: 201)
            response.headers.set("Location", "/api/v1/integrations/\(record.id.lowercasedString)")
            return response
        }
        router.get("/api/v1/integrations/{id}", auth: .user) { request in
            let owner = try request.requirePrincipal()
            guard let record = try repository.find(try request.uuidParameter("id"), for: owner) else { throw Self.notFound }
            return Response.json(IntegrationResource(record))
        }
        router.put("/api/v1/integrations/{id}", auth: .user) { request in
            let owner = try request.requirePrincipal()
            let id = try request.uuidParameter("id")
            let changes = try IntegrationInput.changes(from: request.jsonObject())
            guard let record = try await repository.update(id, changes, for: owner) else { throw Self.notFound }
            return Response.json(IntegrationResource(record))
        }
        router.delete("/api/v1/integrations/{id}", auth: .user) { request in
            let owner = try request.requirePrincipal()
            guard try await repository.delete(try request.uuidParameter("id"), for: owner) else { throw Self.notFound }
            return Response.noContent
        }
    }

    static let notFound = APIError.notFound("No such integration.")
}
