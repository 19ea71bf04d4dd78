import Foundation
import RenumCore
import RenumHTTP
import RenumObservability
import RenumTestSupport

/// A manifest for the C test plugin (Plugins/examples/test-plugin) as agent `agentID`.
func agentManifest(_ agentID: String, version: String, timeoutMs: Int = 2000, maxConcurrency: Int = 16,
                   credentials: [String] = []) -> String {
    func cap(_ name: String, _ input: String = "{}", _ output: String = "{}") -> String {
        #"{"name": "\#(name)", "description": "\#(name) for the API tests", "input_schema": \#(input), "output_schema": \#(output)}"#
    }
    let typed = #"{"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}"#
    return """
    {"agent_id": "\(agentID)", "version": "\(version)", "name": "Lifecycle test agent", "description": "answers the API tests",
     "capabilities": [\(cap("noop")), \(cap("typed", typed, typed)), \(cap("fail")), \(cap("slow")), \(cap("http")),
                      \(cap("cred")), \(cap("validate_credential"))],
     "required_credentials": [\(credentials.map { "\"\($0)\"" }.joined(separator: ", "))],
     "policy": {"isolation": "inprocess", "timeout_ms": \(timeoutMs), "max_concurrency": \(maxConcurrency), "allowed_hosts": ["127.0.0.1"]},
     "cost_per_execution": 0.25}
    """
}

/// A fake upstream API: the real libmicrohttpd server with a route that answers like a Zapier catch hook.
final class FakeUpstream: Sendable {
    let server: HTTPServer

    init() throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let router = Router()
        router.post("/hooks/catch/{account}/{hook}", auth: .none) { request in
            var writer = JSONWriter()
            writer.object { w in
                w.field("status", "success")
                w.key("received"); w.raw(request.body.isEmpty ? "null" : String(decoding: request.body, as: UTF8.self))
            }
            var response = Response(status: 200, body: writer.bytes)
            response.headers.set("Content-Type", "application/json")
            return response
        }
        server = HTTPServer(configuration: configuration,
                            application: HTTPApplication(router: router, middleware: [ErrorMiddleware(logger: .disabled)]),
                            logger: .disabled)
        try server.start()
    }

    var port: Int { server.port }

    deinit { server.shutdown(grace: 1) }
}

extension TestServer {
    /// Registers, uploads and (optionally) moves a test-plugin version through the lifecycle as an admin.
    @discardableResult
    func publish(_ agentID: String, version: String, to action: String? = "approve", canary: [String: Any]? = nil,
                 timeoutMs: Int = 2000, credentials: [String] = []) async throws -> String {
        let admin = token(admin: true)
        let manifest = agentManifest(agentID, version: version, timeoutMs: timeoutMs, credentials: credentials)
        let created = try await client.send("POST", "/api/v1/agents", headers: ["Authorization": "Bearer \(admin)", "Content-Type": "application/json"],
                                            body: Array(manifest.utf8))
        guard created.status == 201 else { throw TestClientError(description: "register \(version): \(created.status) \(created.text)") }
        let library = try CTestPlugin.compile(manifestText: manifest, directory: directory.path, name: "lib\(agentID)-\(version).so")
        let uploaded = try await client.send("PUT", "/api/v1/agents/\(agentID)/versions/\(version)/artifact",
                                             headers: ["Authorization": "Bearer \(admin)", "Content-Type": "application/octet-stream"],
                                             body: [UInt8](try Data(contentsOf: URL(fileURLWithPath: library))))
        guard uploaded.status == 200 else { throw TestClientError(description: "upload \(version): \(uploaded.status) \(uploaded.text)") }
        if action == "approve" || action == "stage" {
            let staged = try await client.sendJSON("PUT", "/api/v1/agents/\(agentID)/stage?version=\(version)", token: admin,
                                                   json: canary.map { ["canary": $0] })
            guard staged.status == 200 else { throw TestClientError(description: "stage \(version): \(staged.status) \(staged.text)") }
        }
        if action == "approve" {
            let approved = try await client.sendJSON("PUT", "/api/v1/agents/\(agentID)/approve?version=\(version)", token: admin)
            guard approved.status == 200 else { throw TestClientError(description: "approve \(version): \(approved.status) \(approved.text)") }
        }
        return admin
    }

    func invoke(_ agentID: String, _ capability: String, input: Any = [String: Any](), version: String? = nil,
                token: String) async throws -> TestResponse {
        var body: [String: Any] = ["capability": capability, "input": input]
        if let version { body["version"] = version }
        return try await client.sendJSON("POST", "/api/v1/agents/\(agentID)/invoke", token: token, json: body)
    }
}
