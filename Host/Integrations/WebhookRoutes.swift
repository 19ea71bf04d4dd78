import RenumHTTP

/// The provider-facing endpoints. No JWT (`auth: .none`): each delivery is verified per
/// platform on its raw body instead.
struct WebhookRoutes: Sendable {
    let ingestor: WebhookIngestor

    func register(on router: Router) {
        let ingestor = self.ingestor
        router.post("/api/v1/webhook/{integration_id}", auth: .none) { request in
            try await ingestor.receive(request, platform: nil)
        }
        router.post("/api/v1/webhook/{integration_id}/{platform}", auth: .none) { request in
            try await ingestor.receive(request, platform: try request.parameter("platform"))
        }
        router.get("/api/v1/webhook/{integration_id}", auth: .none) { request in
            try ingestor.handshake(request)
        }
    }
}
