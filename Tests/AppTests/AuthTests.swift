import Foundation
import RenumCore
import RenumSecurity
import RenumTestSupport
import Testing

@Suite struct AuthTests {
    func status(_ server: TestServer, token: String?) async throws -> (Int, String?) {
        let response = try await server.client.sendJSON("GET", "/api/v1/me", token: token)
        return (response.status, response.json["code"] as? String)
    }

    @Test func validTokenIdentifiesTheUser() async throws {
        let server = try await TestServer()
        let user = UUID()
        let response = try await server.client.sendJSON("GET", "/api/v1/me", token: server.token(for: user))
        #expect(response.status == 200)
        #expect(response.json["user_id"] as? String == user.uuidString.lowercased())
        #expect(response.json["is_admin"] as? Bool == false)
        await server.stop()
    }

    @Test func rejectsEveryBadToken() async throws {
        let server = try await TestServer()
        let user = UUID()
        let now = Date()
        let expired = server.issuer.mint(subject: user, ttl: 60, now: now.addingTimeInterval(-3600))
        let notYet = server.issuer.mint(subject: user, extraClaims: ["nbf": .number(now.timeIntervalSince1970 + 3600)])
        let otherKey = JWTIssuer(JWTConfiguration(secret: Array("another-secret-0123456789abcdef0123456789".utf8))).mint(subject: user)
        let wrongAudience = server.token(for: user, extraClaims: ["aud": "anon"])
        let valid = server.token(for: user)
        let parts = valid.split(separator: ".")
        let noneHeader = Base64URL.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8))
        let algNone = "\(noneHeader).\(parts[1])."
        let cases: [(String?, String, String)] = [
            (nil, "UNAUTHORIZED", "missing"),
            (expired, "TOKEN_EXPIRED", "expired"),
            (notYet, "TOKEN_NOT_YET_VALID", "not yet valid"),
            (otherKey, "INVALID_TOKEN", "wrong key"),
            (algNone, "INVALID_TOKEN", "alg none"),
            (wrongAudience, "INVALID_TOKEN", "wrong aud"),
            ("not-a-jwt", "INVALID_TOKEN", "malformed"),
            ("a.b.c", "INVALID_TOKEN", "malformed segments"),
        ]
        for (token, code, label) in cases {
            let (status, returned) = try await status(server, token: token)
            #expect(status == 401, "\(label)")
            #expect(returned == code, "\(label): \(returned ?? "nil")")
        }
        await server.stop()
    }

    @Test func adminComesOnlyFromAppMetadata() async throws {
        let server = try await TestServer()
        let pretender = server.token(extraClaims: ["user_metadata": ["role": "admin"], "role": "admin"])
        let forbidden = try await server.client.sendJSON("GET", "/api/v1/admin/audit", token: pretender)
        #expect(forbidden.status == 403)
        #expect(forbidden.json["code"] as? String == "FORBIDDEN")
        let admin = try await server.client.sendJSON("GET", "/api/v1/admin/audit", token: server.token(admin: true))
        #expect(admin.status == 200)
        let me = try await server.client.sendJSON("GET", "/api/v1/me", token: pretender)
        #expect(me.json["is_admin"] as? Bool == false)
        await server.stop()
    }

    @Test func tokensNeverReachTheLogs() async throws {
        let server = try await TestServer()
        let token = server.token()
        _ = try await server.client.sendJSON("GET", "/api/v1/me", token: token)
        _ = try await server.client.sendJSON("GET", "/api/v1/me", token: token + "x")
        await server.stop()
        let signature = String(token.split(separator: ".")[2])
        for line in server.logs.lines {
            #expect(!line.contains(signature))
            #expect(!line.contains(TestServer.secret))
        }
        #expect(server.logs.lines.contains { $0.contains("\"request_id\"") })
    }
}
