import Foundation
import RenumCore
import RenumHTTP
import RenumObservability
import RenumStorage
import RenumWebhooks

/// The hot path: one provider delivery from lookup to `202` after its rows are committed.
///
/// Order matters: the cheap refusals come first (unknown 404, inactive 410, rate 429), then the
/// signature on the raw bytes, then parsing. Nothing is answered 202 before the log row, the job
/// and the idempotency keys are committed together.
struct WebhookIngestor: Sendable {
    let cache: IntegrationCache
    let limiter: any RateLimiter
    let verifier: WebhookVerifier
    let secrets: IntegrationSecrets
    let logs: WebhookLogRepository
    let configuration: IntegrationsConfiguration
    let metrics: MetricsRegistry
    let logger: Logger
    let wake: WorkSignal

    static let deliveriesMetric = "renum_webhook_deliveries_total"
    private static let masker = PIIMasker()

    /// Runs on the server's I/O thread (an inline route): everything up to the write is short and
    /// synchronous, and `reply` is answered from the writer's thread once the rows are committed.
    func receive(_ request: Request, platform: String?, reply: Reply) throws {
        let integration = try lookup(request)
        if let platform, platform != integration.type.rawValue {
            throw APIError.notFound("This integration does not take \(platform) deliveries.")
        }
        let decision = limiter.admit(key: integration.id.lowercasedString, limit: integration.rateLimit, now: Date())
        guard decision.allowed else {
            count("rate_limited")
            let retry = Int(decision.retryAfterHeader ?? "1") ?? 1
            let error = APIError.tooManyRequests(retryAfterSeconds: retry)
            throw APIError(status: 429, code: error.code, message: error.message, details: error.details,
                           headers: decision.headers.map { ($0.name, $0.value) })
        }
        let headers = WebhookHeaders(request.headers.fields)
        let inbound = InboundWebhook(method: request.method.rawValue, headers: headers, rawBody: request.body)
        let verdict = integration.verification.map { verifier.verify(inbound, config: $0, now: Date()) }
            ?? .rejected(reason: .misconfigured)
        if case .rejected(let reason) = verdict {
            refuse(request, integration, headers, status: 401, outcome: "rejected", message: reason.message, reply: reply,
                   APIError(status: 401, code: "WEBHOOK_VERIFICATION_FAILED", message: reason.message,
                            details: ["reason": .string(reason.code)]))
            return
        }
        // One parse serves masking and the deduplication keys. The same strict parser as the
        // normalizer's, so a body accepted here (duplicate keys are not) can be processed later.
        guard let payload = try? JSONParser.parse(request.body) else {
            let message = NormalizationError.malformedJSON.message
            refuse(request, integration, headers, status: 400, outcome: "invalid", message: message, reply: reply,
                   APIError.badRequest("The delivery cannot be processed: \(message).", code: "INVALID_WEBHOOK"))
            return
        }
        let providerIDs: [String]
        switch DeliveryKeys.providerIDs(platform: integration.platform, payload: payload, headers: headers) {
        case .success(let ids): providerIDs = ids
        case .failure(let error):
            refuse(request, integration, headers, status: 400, outcome: "invalid", message: error.message, reply: reply,
                   APIError.badRequest("The delivery cannot be processed: \(error.message).", code: "INVALID_WEBHOOK"))
            return
        }
        var keys = providerIDs.map { "provider:" + $0 }
        if let key = request.headers["Idempotency-Key"], !key.isEmpty, key.utf8.count <= 255 { keys.append("key:" + key) }
        let delivery = AcceptedDelivery(
            requestID: request.id, integrationID: integration.id, userID: integration.userID, method: request.method.rawValue,
            headersJSON: Self.masker.maskedHeadersJSON(headers), payloadJSON: Self.maskedJSON(payload, size: request.body.count),
            sealedBody: try secrets.sealBody(request.body, userID: integration.userID, integrationID: integration.id),
            providerIDs: providerIDs, idempotencyKeys: keys, webhookID: headers["webhook-id"],
            maxAttempts: configuration.maxAttempts, receivedAt: Timestamp.now())
        let rateHeaders = decision.headers
        logs.ingest(delivery) { [self] outcome in
            var response: Response
            switch outcome {
            case .success(.accepted):
                count("accepted")
                wake.ring()
                response = Self.json(status: 202) { $0.field("request_id", request.id) }
            case .success(.duplicate(let first)):
                count("duplicate")
                response = Self.json(status: 200) { $0.field("duplicate", true); $0.field("request_id", first) }
            case .failure(let error):
                reply.fail(error)
                return
            }
            for header in rateHeaders { response.headers.set(header.name, header.value) }
            reply.send(response)
        }
    }

    /// WhatsApp's subscription handshake: the challenge as plain text, or 403.
    func handshake(_ request: Request) throws -> Response {
        let integration = try lookup(request)
        guard integration.type == .whatsapp, let token = integration.verifyToken else {
            throw APIError.forbidden("This integration has no WhatsApp verify token.")
        }
        switch verifier.whatsappHandshake(query: request.query, verifyToken: token) {
        case .accepted(let challenge): return Response.text(challenge)
        case .forbidden: throw APIError.forbidden("The verification request does not match.")
        }
    }

    private func lookup(_ request: Request) throws -> WebhookIntegration {
        guard let id = UUID(text: request.parameters["integration_id"] ?? ""),
              let integration = try cache.integration(id) else {
            throw APIError.notFound("No such webhook.")
        }
        if integration.status == .inactive {
            count("inactive")
            throw APIError(status: 410, code: "INTEGRATION_INACTIVE", message: "This integration is inactive.")
        }
        return integration
    }

    /// Logs and counts a refused delivery, then answers with `answer`. A failure to log does not
    /// change the answer (still a refusal).
    private func refuse(_ request: Request, _ integration: WebhookIntegration, _ headers: WebhookHeaders,
                        status: Int, outcome: String, message: String, reply: Reply, _ answer: APIError) {
        count(outcome)
        logger.info("webhook refused", ["integration_id": integration.id.lowercasedString, "request_id": request.id,
                                        "outcome": outcome, "reason": message])
        let elapsed = Int((Monotonic.now() &- request.receivedAt) / 1_000_000)
        let refused = RefusedDelivery(
            requestID: request.id, integrationID: integration.id, userID: integration.userID, method: request.method.rawValue,
            headersJSON: Self.masker.maskedHeadersJSON(headers), payloadJSON: Self.masker.maskedPayloadJSON(request.body),
            statusCode: status, outcome: outcome, errorMessage: message, responseTimeMs: elapsed, receivedAt: Timestamp.now())
        let logger = self.logger
        logs.refuse(refused) { logged in
            if case .failure(let error) = logged {
                logger.error("cannot log a refused webhook", ["integration_id": integration.id.lowercasedString,
                                                              "error": String(describing: type(of: error))])
            }
            reply.fail(answer)
        }
    }

    private static func maskedJSON(_ payload: JSONValue, size: Int) -> String {
        var writer = JSONWriter(capacity: size + 16)
        masker.writeMasked(payload, to: &writer)
        return writer.text
    }

    private func count(_ outcome: String) {
        metrics.increment(Self.deliveriesMetric, [("outcome", outcome)])
    }

    private static func json(status: Int, _ body: (inout JSONWriter) -> Void) -> Response {
        var writer = JSONWriter(capacity: 96)
        writer.object(body)
        var headers = HTTPHeaders()
        headers.set("Content-Type", "application/json")
        return Response(status: status, headers: headers, body: writer.bytes)
    }
}
