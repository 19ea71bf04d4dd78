import RenumHTTP

/// The provider-facing endpoints. No JWT (`auth: .none`): each delivery is verified per
/// platform on its raw body instead.
struct WebhookRoutes: Sendable {
    let ingestor: WebhookIngestor

    func register(on router: Router) {
        let ingestor = self.ingestor
        // Inline: the hot path never hops to a task; the reply comes from the writer's commit.
        router.add(.post, "/api/v1/webhook/{integration_id}", auth: .none, inline: { request, reply in
            try ingestor.receive(request, platform: nil, reply: reply)
        })
        router.add(.post, "/api/v1/webhook/{integration_id}/{platform}", auth: .none, inline: { request, reply in
            try ingestor.receive(request, platform: try request.parameter("platform"), reply: reply)
        })
        router.get("/api/v1/webhook/{integration_id}", auth: .none) { request in
            try ingestor.handshake(request)
        }
    }
}
