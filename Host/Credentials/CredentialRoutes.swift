import Foundation
import RenumCore
import RenumHTTP
import RenumStorage

/// The BYOC API, `/api/v1/credentials[/{id}[/validate]]`: tenant-scoped, secrets write-only.
public struct CredentialRoutes: Sendable {
    let service: CredentialService
    let validator: any CredentialValidator

    public init(service: CredentialService, validator: any CredentialValidator) {
        self.service = service
        self.validator = validator
    }

    public func register(on router: Router) {
        let service = self.service, validator = self.validator
        let repository = service.repository
        router.get("/api/v1/credentials", auth: .user) { request in
            let owner = try request.requirePrincipal()
            let pagination = try Pagination(request)
            let now = Timestamp.now()
            let records = try repository.list(for: owner, limit: pagination.perPage, offset: pagination.offset)
            return Response.json(Page(items: records.map { CredentialResource(record: $0, now: now) },
                                      total: try repository.count(for: owner), pagination: pagination))
        }
        router.post("/api/v1/credentials", auth: .user) { request in
            let owner = try request.requirePrincipal()
            let input = try CredentialInput(request.jsonObject(), requireAll: true)
            let id = UUID()
            let sealed = try service.seal(input.secrets!, userID: owner.userID, recordID: id)
            let now = Timestamp.now()
            let record = CredentialRecord(
                id: id, userID: owner.userID, serviceType: input.serviceType!, serviceName: input.serviceName!,
                ciphertext: sealed.ciphertext, keyVersion: sealed.keyVersion,
                scopes: JSONText.encode(.array((input.scopes ?? []).map(JSONValue.string))), fieldNames: sealed.fieldNames,
                status: "active", expiresAt: input.expiresAt.flatMap { $0 }, lastValidatedAt: nil, createdAt: now, updatedAt: now)
            let created: CredentialRecord
            do {
                created = try await repository.create(record, for: owner)
            } catch let error as StorageError where error.code == .constraint {
                throw APIError.conflict("You already have a \(record.serviceType) credential named '\(record.serviceName)'.")
            }
            var response = Response.json(CredentialResource(record: created, now: now), status: 201)
            response.headers.set("Location", "/api/v1/credentials/\(id.lowercasedString)")
            return response
        }
        router.get("/api/v1/credentials/{id}", auth: .user) { request in
            let owner = try request.requirePrincipal()
            guard let record = try repository.find(try request.uuidParameter("id"), for: owner) else { throw Self.notFound }
            return Response.json(CredentialResource(record: record, now: Timestamp.now()))
        }
        router.put("/api/v1/credentials/{id}", auth: .user) { request in
            let owner = try request.requirePrincipal()
            let id = try request.uuidParameter("id")
            let input = try CredentialInput(request.jsonObject(), requireAll: false)
            if input.serviceType != nil {
                throw APIError.validation([FieldError(path: "/service_type", message: "cannot be changed; create a new credential")])
            }
            let sealed = try input.secrets.map { try service.seal($0, userID: owner.userID, recordID: id) }
            let changes = CredentialChanges(serviceName: input.serviceName,
                                            scopes: input.scopes.map { JSONText.encode(.array($0.map(JSONValue.string))) },
                                            expiresAt: input.expiresAt, sealed: sealed)
            let updated: CredentialRecord?
            do {
                updated = try await repository.update(id, changes, for: owner)
            } catch let error as StorageError where error.code == .constraint {
                throw APIError.conflict("You already have a credential of this service type with that name.")
            }
            guard let updated else { throw Self.notFound }
            return Response.json(CredentialResource(record: updated, now: Timestamp.now()))
        }
        router.delete("/api/v1/credentials/{id}", auth: .user) { request in
            let owner = try request.requirePrincipal()
            guard try await repository.delete(try request.uuidParameter("id"), for: owner) else { throw Self.notFound }
            return Response.noContent
        }
        router.post("/api/v1/credentials/{id}/validate", auth: .user) { request in
            let owner = try request.requirePrincipal()
            guard let record = try repository.find(try request.uuidParameter("id"), for: owner) else { throw Self.notFound }
            let verdict = await validator.validate(serviceType: record.serviceType, secrets: try service.open(record),
                                                   for: owner, requestID: request.id)
            let now = Timestamp.now()
            switch verdict {
            case .valid, .invalid:
                let status = verdict == .valid ? "active" : "invalid"
                guard let updated = try await repository.recordValidation(record.id, status: status, at: now, for: owner) else {
                    throw Self.notFound
                }
                var writer = JSONWriter()
                writer.object { w in
                    w.field("valid", verdict == .valid)
                    if case .invalid(let message) = verdict { w.field("message", message) }
                    w.key("credential"); w.encode(CredentialResource(record: updated, now: now))
                }
                var response = Response(status: 200, body: writer.bytes)
                response.headers.set("Content-Type", "application/json")
                return response
            case .unsupported:
                throw APIError(status: 422, code: "VALIDATION_UNSUPPORTED",
                               message: "No installed agent can validate \(record.serviceType) credentials.")
            case .failed(let code, let message):
                throw APIError(status: 502, code: code, message: message)
            }
        }
    }

    static let notFound = APIError.notFound("No such credential.")
}
