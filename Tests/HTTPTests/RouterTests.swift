import Testing
@testable import RenumHTTP

@Suite struct RouterTests {
    func router() -> Router {
        let router = Router()
        let ok: Handler = { _ in Response(status: 200) }
        router.get("/api/v1/integrations", auth: .user, ok)
        router.post("/api/v1/integrations", auth: .user, ok)
        router.get("/api/v1/integrations/{id}", auth: .user, ok)
        router.delete("/api/v1/integrations/{id}", auth: .user, ok)
        router.get("/api/v1/integrations/{id}/logs", auth: .user, ok)
        router.get("/api/v1/integrations/stats", auth: .admin, ok)
        router.get("/healthz", auth: .none, ok)
        return router
    }

    @Test func matchesLiteralsAndParameters() {
        let router = router()
        guard case .found(let route, let parameters) = router.match(.get, "/api/v1/integrations/abc") else {
            Issue.record("no match"); return
        }
        #expect(route.pattern == "/api/v1/integrations/{id}")
        #expect(parameters == ["id": "abc"])
        guard case .found(let logs, let p2) = router.match(.get, "/api/v1/integrations/abc/logs") else {
            Issue.record("no match"); return
        }
        #expect(logs.pattern == "/api/v1/integrations/{id}/logs")
        #expect(p2["id"] == "abc")
    }

    @Test func literalSegmentWinsOverParameter() {
        guard case .found(let route, let parameters) = router().match(.get, "/api/v1/integrations/stats") else {
            Issue.record("no match"); return
        }
        #expect(route.pattern == "/api/v1/integrations/stats")
        #expect(route.auth == .admin)
        #expect(parameters.isEmpty)
    }

    @Test func trailingSlashIsTheSamePath() {
        guard case .found(let route, _) = router().match(.get, "/api/v1/integrations/") else {
            Issue.record("no match"); return
        }
        #expect(route.pattern == "/api/v1/integrations")
    }

    @Test func unknownPathIsNotFound() {
        guard case .notFound = router().match(.get, "/api/v1/nothing") else { Issue.record("expected notFound"); return }
        guard case .notFound = router().match(.get, "/api/v1/integrations/a/b/c") else { Issue.record("expected notFound"); return }
        guard case .notFound = router().match(.get, "/api/v1//x") else { Issue.record("expected notFound"); return }
    }

    @Test func wrongMethodListsAllowedOnes() {
        guard case .methodNotAllowed(let allowed) = router().match(.put, "/api/v1/integrations/abc") else {
            Issue.record("expected 405"); return
        }
        #expect(Set(allowed.map(\.rawValue)) == ["GET", "HEAD", "DELETE"])
    }

    @Test func headIsServedByGet() {
        guard case .found(let route, _) = router().match(.head, "/healthz") else { Issue.record("no match"); return }
        #expect(route.method == .get)
    }

    @Test func listsEveryRoute() {
        #expect(router().routes.count == 7)
    }
}
