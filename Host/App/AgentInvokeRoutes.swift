import Foundation
import RenumCore
import RenumHTTP
import RenumManifest
import RenumRegistry
import RenumRuntime
import RenumStorage
import RenumWebhooks

/// `POST /api/v1/agents/{agent_id}/invoke`: the registry picks the version the caller may
/// use (canary, explicit, active), the runtime runs it, and the answer carries the metering.
struct AgentInvokeRoutes: Sendable {
    let registry: RegistryService
    let serving: RuntimeAgentServing
    let limiter: any RateLimiter

    static let fields: Set<String> = ["capability", "input", "version"]

    func register(on router: Router) {
        let registry = self.registry, serving = self.serving, limiter = self.limiter
        router.post("/api/v1/agents/{agent_id}/invoke", auth: .user) { request in
            let principal = try request.requirePrincipal()
            let agentID = try request.parameter("agent_id")
            let body = try request.jsonObject()
            var errors = body.keys.filter { !Self.fields.contains($0) }.sorted()
                .map { FieldError(path: "/\(JSONPointer.escape($0))", message: "is not a known field") }
            let capability = body["capability"]?.stringValue
            if capability == nil { errors.append(FieldError(path: "/capability", message: "is required (a string)")) }
            if let version = body["version"], version.stringValue == nil {
                errors.append(FieldError(path: "/version", message: "must be a version string"))
            }
            guard errors.isEmpty, let capability else { throw APIError.validation(errors) }

            let record = try registry.resolve(agentID: agentID, version: body["version"]?.stringValue, for: principal)
            if record.status == "deprecated" {
                throw APIError(status: 410, code: "VERSION_DEPRECATED", message: "\(agentID) \(record.version) is deprecated and takes no new calls.")
            }
            let manifest = try registry.manifest(of: record)
            let decision = limiter.admit(key: "agent:\(agentID):\(principal.userID.lowercasedString)",
                                         limit: .perMinute(manifest.policy.rateLimitPerMinute), now: Date())
            guard decision.allowed else {
                var error = APIError.tooManyRequests(retryAfterSeconds: Int(decision.retryAfter.rounded(.up)),
                                                     message: "You are calling \(agentID) faster than its policy allows.")
                error = APIError(status: 429, code: error.code, message: error.message, details: error.details,
                                 headers: decision.headers.map { ($0.name, $0.value) })
                throw error
            }
            try await registry.ensureLoaded(record)

            var input = JSONWriter()
            input.value(body["input"] ?? .object([:]))
            let result = await serving.invoke(record, manifest: manifest, capability: capability, input: input.bytes,
                                              caller: CallerContext(userID: principal.userID, requestID: request.id))
            switch result.outcome {
            case .success(let output):
                var writer = JSONWriter(capacity: output.count + 256)
                writer.object { w in
                    w.field("agent_id", agentID)
                    w.field("version", record.version)
                    w.field("capability", capability)
                    w.key("output"); w.raw(String(decoding: output, as: UTF8.self))
                    w.field("metering", result.metering.json)
                }
                var response = Response(status: 200, body: writer.bytes)
                response.headers.set("Content-Type", "application/json")
                return response
            case .failure(let code, let message, let details):
                throw Self.error(code: code, message: message, details: details, agentID: agentID, version: record.version,
                                 capability: capability, metering: result.metering)
            }
        }
    }

    /// Refusals keep HTTP meanings; a plugin's own failure is the AgentExecutionError shape:
    /// its code and message, with the agent, version, capability and metering in details.
    static func error(code: String, message: String, details: JSONValue?, agentID: String, version: String,
                      capability: String, metering: Metering) -> APIError {
        switch code {
        case "AGENT_NOT_FOUND", "VERSION_NOT_FOUND", "UNKNOWN_CAPABILITY":
            return APIError(status: 404, code: code, message: message)
        case "INVALID_INPUT":
            return APIError(status: 422, code: code, message: message, details: details)
        case "CONCURRENCY_LIMIT":
            return APIError(status: 503, code: code, message: message, headers: [("Retry-After", "1")])
        default:
            var context: [String: JSONValue] = [
                "error_type": "AgentExecutionError", "agent_id": .string(agentID), "version": .string(version),
                "capability": .string(capability), "metering": metering.json,
            ]
            if let details { context["plugin_details"] = details }
            return APIError(status: code == "PLUGIN_TIMEOUT" ? 504 : 502, code: code, message: message, details: .object(context))
        }
    }
}
