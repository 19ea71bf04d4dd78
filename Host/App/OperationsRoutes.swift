import RenumCore
import RenumHTTP
import RenumObservability
import RenumStorage
import Synchronization

/// `/healthz`, `/readyz`, `/metrics` and `/openapi.json`: for load balancers, Prometheus and clients.
struct OperationsRoutes: Sendable {
    let store: any Store
    let metrics: MetricsRegistry
    let draining: @Sendable () -> Bool

    func register(on router: Router) {
        let store = self.store, metrics = self.metrics, draining = self.draining
        // Inline: probes are answered on the I/O thread, never queued behind tasks.
        router.add(.get, "/healthz", auth: .none, inline: { _, reply in
            reply.send(Response.json(["status": "ok"] as JSONValue))
        })
        router.add(.get, "/readyz", auth: .none, inline: { _, reply in
            if draining() { throw APIError.unavailable("The server is shutting down.", code: "NOT_READY") }
            do {
                try store.ping()
            } catch {
                throw APIError.unavailable("Storage is not reachable.", code: "NOT_READY")
            }
            reply.send(Response.json(["status": "ready", "storage": "ok"] as JSONValue))
        })
        router.get("/metrics", auth: .none) { _ in
            Response.text(metrics.render(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        let document = OpenAPIDocument.json()
        router.get("/openapi.json", auth: .none) { _ in
            var response = Response(status: 200, body: document)
            response.headers.set("Content-Type", "application/json")
            return response
        }
    }
}
