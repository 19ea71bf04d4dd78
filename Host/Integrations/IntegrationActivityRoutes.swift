import Foundation
import RenumCore
import RenumHTTP
import RenumStorage

/// What happened to an integration's deliveries: logs (with dead letters), analytics, replay.
/// Every route first checks that the integration is the caller's (else 404).
struct IntegrationActivityRoutes: Sendable {
    let repository: IntegrationRepository
    let logs: WebhookLogRepository
    let queue: JobQueue
    let store: any Store
    let wake: WorkSignal

    static let outcomes: Set<String> = ["accepted", "retrying", "processed", "dead", "requeued", "rejected", "invalid"]

    func register(on router: Router) {
        let routes = self
        router.get("/api/v1/integrations/{id}/logs", auth: .user) { request in
            let (owner, id) = try routes.owned(request)
            let pagination = try Pagination(request)
            let outcome = request.query["outcome"]
            if let outcome, !Self.outcomes.contains(outcome) {
                throw APIError.validation([FieldError(path: "?outcome", message: "must be one of \(Self.outcomes.sorted().joined(separator: ", "))")])
            }
            let (entries, total) = try routes.logs.list(integrationID: id, owner: owner, outcome: outcome,
                                                         limit: pagination.perPage, offset: pagination.offset)
            return Response.json(Page(items: entries.map(WebhookLogResource.init), total: total, pagination: pagination))
        }
        router.get("/api/v1/integrations/{id}/analytics", auth: .user) { request in
            let (owner, id) = try routes.owned(request)
            let days = try Self.days(request)
            let first = Timestamp.format(Date().addingTimeInterval(-Double(days - 1) * 86_400)).prefix(10)
            let rows = try IntegrationAnalytics.days(integrationID: id, owner: owner, from: String(first), store: routes.store)
            return Response.json(AnalyticsResource(integrationID: id.lowercasedString, days: days, rows: rows))
        }
        router.post("/api/v1/integrations/{id}/replay", auth: .user) { request in
            let (owner, id) = try routes.owned(request)
            let selection = try Self.selection(try request.jsonObject())
            let count = try await routes.queue.replay(selection, integrationID: id, owner: owner, now: Timestamp.now())
            if case .log = selection, count == 0 {
                throw APIError.notFound("No finished delivery with that log id (refused deliveries cannot be replayed).")
            }
            if count > 0 { routes.wake.ring() }
            return Response.json(JSONValue.object(["requeued": .number(Double(count))]), status: 202)
        }
    }

    private func owned(_ request: Request) throws -> (Principal, UUID) {
        let owner = try request.requirePrincipal()
        let id = try request.uuidParameter("id")
        guard try repository.find(id, for: owner) != nil else { throw APIError.notFound("No such integration.") }
        return (owner, id)
    }

    static func days(_ request: Request) throws(APIError) -> Int {
        guard let text = request.query["days"] else { return 30 }
        guard let days = Int(text), (1...366).contains(days) else {
            throw APIError.validation([FieldError(path: "?days", message: "must be an integer from 1 to 366")])
        }
        return days
    }

    /// Exactly one of `{dead_letters: true}`, `{log_id}`, `{from, to}`.
    static func selection(_ body: [String: JSONValue]) throws(APIError) -> ReplaySelection {
        if body.count == 1, body["dead_letters"] == .bool(true) { return .deadLetters }
        if body.count == 1, let text = body["log_id"]?.stringValue, let id = UUID(text: text) { return .log(id) }
        if body.count == 2, let from = body["from"]?.stringValue.flatMap(Timestamp.parse),
           let to = body["to"]?.stringValue.flatMap(Timestamp.parse), from <= to {
            return .range(from: Timestamp.format(from), to: Timestamp.format(to))
        }
        throw APIError.validation([FieldError(path: "", message:
            "must be exactly one of {\"dead_letters\": true}, {\"log_id\": uuid} or {\"from\": time, \"to\": time} (ISO-8601, from ≤ to)")])
    }
}
