import RenumCore

/// The OpenAPI 3.1 description of every route. A test compares it with the router's
/// routes, so a route added without documentation (or documented and gone) fails the build.
enum OpenAPIDocument {
    static func json() -> [UInt8] { Array(JSONText.encode(document).utf8) }

    static var document: JSONValue {
        [
            "openapi": "3.1.0",
            "info": [
                "title": "Renum",
                "version": "0.1.0",
                "description": "Plugin-hosting runtime for AI agents and integrations. Errors always use the ErrorResponse shape.",
            ],
            "servers": [["url": "/"]],
            "components": ["schemas": schemas, "securitySchemes": [
                "bearer": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                           "description": "Supabase-compatible HS256 JWT; admin when app_metadata.role is admin."],
            ]],
            "paths": .object(paths),
        ]
    }

    static var paths: [String: JSONValue] {
        [
            "/healthz": ["get": operation("Liveness: the process answers.", tag: "operations", auth: false,
                                          responses: ["200": jsonResponse("Alive", schema: ["type": "object"])])],
            "/readyz": ["get": operation("Readiness: storage is reachable and the server is not draining.", tag: "operations", auth: false,
                                         responses: ["200": jsonResponse("Ready", schema: ["type": "object"]), "503": errorResponse("Not ready")])],
            "/metrics": ["get": operation("Prometheus metrics (text exposition format 0.0.4).", tag: "operations", auth: false,
                                          responses: ["200": ["description": "Metrics", "content": ["text/plain": ["schema": ["type": "string"]]]]])],
            "/openapi.json": ["get": operation("This document.", tag: "operations", auth: false,
                                               responses: ["200": jsonResponse("OpenAPI 3.1 document", schema: ["type": "object"])])],
            "/api/v1/me": ["get": operation("The caller as the token describes them.", tag: "account",
                                            responses: ["200": jsonResponse("The caller", schema: ref("Me"))])],
            "/api/v1/admin/audit": ["get": operation("The audit trail across tenants, newest first (admins only).", tag: "admin",
                                                     parameters: [queryParameter("page", "Page number, from 1."), queryParameter("per_page", "Items per page, 1 to 100."),
                                                                  ["name": "action", "in": "query", "required": false, "description": "Only entries with this action, e.g. integration.created.", "schema": ["type": "string"]]],
                                                     responses: ["200": jsonResponse("A page of audit entries", schema: ref("AuditPage")), "403": errorResponse("Not an administrator")])],
            "/api/v1/integrations": [
                "get": operation("List the caller's integrations, newest first.", tag: "integrations",
                                 parameters: [queryParameter("page", "Page number, from 1."), queryParameter("per_page", "Items per page, 1 to 100 (default 50).")],
                                 responses: ["200": jsonResponse("A page of integrations", schema: ref("IntegrationPage")), "422": errorResponse("Bad paging arguments")]),
                "post": operation("Create an integration owned by the caller.", tag: "integrations",
                                  body: ref("IntegrationCreate"),
                                  responses: ["201": jsonResponse("Created", schema: ref("Integration")), "400": errorResponse("Malformed JSON"),
                                              "415": errorResponse("Not JSON"), "422": errorResponse("Invalid fields")]),
            ],
            "/api/v1/credentials": [
                "get": operation("List the caller's credentials (never their secret values).", tag: "credentials",
                                 parameters: [queryParameter("page", "Page number, from 1."), queryParameter("per_page", "Items per page, 1 to 100.")],
                                 responses: ["200": jsonResponse("A page of credentials", schema: ref("CredentialPage"))]),
                "post": operation("Store a credential, encrypted at rest; its secret fields are write-only.", tag: "credentials",
                                  body: ref("CredentialCreate"),
                                  responses: ["201": jsonResponse("Stored", schema: ref("Credential")), "409": errorResponse("Same service type and name exists"),
                                              "422": errorResponse("Invalid fields")]),
            ],
            "/api/v1/credentials/{id}": [
                "get": operation("One of the caller's credentials.", tag: "credentials", parameters: [idParameter],
                                 responses: ["200": jsonResponse("The credential", schema: ref("Credential")), "404": errorResponse("Not found")]),
                "put": operation("Change a credential; new `credentials` replace the secret.", tag: "credentials", parameters: [idParameter],
                                 body: ref("CredentialUpdate"),
                                 responses: ["200": jsonResponse("Updated", schema: ref("Credential")), "404": errorResponse("Not found"), "422": errorResponse("Invalid fields")]),
                "delete": operation("Delete a credential.", tag: "credentials", parameters: [idParameter],
                                    responses: ["204": ["description": "Deleted"], "404": errorResponse("Not found")]),
            ],
            "/api/v1/credentials/{id}/validate": [
                "post": operation("Ask the agent serving this service type to check the credential; records status and last_validated_at.",
                                  tag: "credentials", parameters: [idParameter],
                                  responses: ["200": jsonResponse("The verdict", schema: ["type": "object"]), "404": errorResponse("Not found"),
                                              "422": errorResponse("No agent can validate this service type"), "502": errorResponse("The check failed")]),
            ],
            "/api/v1/agents": [
                "get": operation("Agents you may use (admins: all, with every version), ranked by capability= (exact name) and q= (words).",
                                 tag: "agents",
                                 parameters: [stringQuery("status", "draft, staged, approved or deprecated (admins)."),
                                              stringQuery("capability", "Only agents offering this capability name."),
                                              stringQuery("q", "Words to find in names and descriptions."),
                                              queryParameter("page", "Page number, from 1."), queryParameter("per_page", "Items per page, 1 to 100.")],
                                 responses: ["200": jsonResponse("A page of agents", schema: ["type": "object"])]),
                "post": operation("Register a manifest as a new draft version (admins).", tag: "agents",
                                  body: ["type": "object", "description": "A plugin manifest, as manifests/manifest.schema.json defines it."],
                                  responses: ["201": jsonResponse("The draft", schema: ref("AgentVersion")), "403": errorResponse("Not an administrator"),
                                              "409": errorResponse("This agent_id and version exist"), "422": errorResponse("Invalid manifest (JSON Pointers in details)")]),
            ],
            "/api/v1/agents/{agent_id}": [
                "get": operation("An agent's version with its manifest: the one you would call, or ?version=.", tag: "agents",
                                 parameters: [agentParameter, stringQuery("version", "A specific version you may see.")],
                                 responses: ["200": jsonResponse("The version", schema: ref("AgentVersion")), "404": errorResponse("No such agent or version for you")]),
            ],
            "/api/v1/agents/{agent_id}/versions": [
                "get": operation("The versions of an agent you may see, newest first.", tag: "agents", parameters: [agentParameter],
                                 responses: ["200": jsonResponse("Versions", schema: ["type": "object"]), "404": errorResponse("No such agent")]),
            ],
            "/api/v1/agents/{agent_id}/versions/{version}/artifact": [
                "put": operation("Upload a draft's shared library (application/octet-stream); checked in a throwaway process first (admins).",
                                 tag: "agents", parameters: [agentParameter, ["name": "version", "in": "path", "required": true, "schema": ["type": "string"]]],
                                 body: ["type": "string", "contentMediaType": "application/octet-stream"],
                                 responses: ["200": jsonResponse("Accepted, with its SHA-256", schema: ref("AgentVersion")),
                                             "409": errorResponse("Not a draft"), "413": errorResponse("Too large"),
                                             "422": errorResponse("Refused: not a library, wrong ABI, manifest mismatch…")]),
            ],
            "/api/v1/agents/{agent_id}/stage": ["put": lifecycle("Stage a draft with an artifact: loaded, serving admins and its canary ({canary: {tenants, percentage}}).")],
            "/api/v1/agents/{agent_id}/approve": ["put": lifecycle("Approve: the version becomes the active one (hot-swap). Approving an earlier version again is rollback.")],
            "/api/v1/agents/{agent_id}/deprecate": ["put": lifecycle("Deprecate: no new calls; calls in flight finish.")],
            "/api/v1/agents/{agent_id}/invoke": [
                "post": operation("Call a capability: {capability, input, version?} → {output, metering}.", tag: "agents", parameters: [agentParameter],
                                  body: ["type": "object", "required": ["capability"], "additionalProperties": false,
                                         "properties": ["capability": ["type": "string"], "input": [:], "version": ["type": "string"]]],
                                  responses: ["200": jsonResponse("The output and what it cost", schema: ["type": "object"]),
                                              "404": errorResponse("Unknown agent, version or capability"), "410": errorResponse("Deprecated version"),
                                              "422": errorResponse("Input does not match the capability's input_schema"),
                                              "429": errorResponse("Faster than the agent's rate limit"), "502": errorResponse("AgentExecutionError: the plugin failed"),
                                              "503": errorResponse("At its concurrency limit"), "504": errorResponse("Timed out")]),
            ],
            "/api/v1/integrations/{id}/regenerate-token": [
                "post": operation("Replace the integration's webhook token (shown once in the answer).", tag: "integrations", parameters: [idParameter],
                                  responses: ["200": jsonResponse("The integration with its new token and webhook_url", schema: ["type": "object"]),
                                              "404": errorResponse("Not found")]),
            ],
            "/api/v1/integrations/{id}/logs": [
                "get": operation("The integration's webhook log, newest first, with PII masked.", tag: "integrations",
                                 parameters: [idParameter, queryParameter("page", "Page number, from 1."), queryParameter("per_page", "Items per page, 1 to 100.")],
                                 responses: ["200": jsonResponse("A page of log entries (request_id, outcome, masked headers and payload)", schema: ["type": "object"]),
                                             "404": errorResponse("Not found")]),
            ],
            "/api/v1/integrations/{id}/analytics": [
                "get": operation("Per-day totals: requests, successes, failures, average response time, cost.", tag: "integrations",
                                 parameters: [idParameter, queryParameter("days", "How many days back, 1 to 365 (default 30).")],
                                 responses: ["200": jsonResponse("Daily analytics", schema: ["type": "object"]), "404": errorResponse("Not found")]),
            ],
            "/api/v1/integrations/{id}/replay": [
                "post": operation("Re-enqueue dead letters ({dead_letters: true}), one log ({log_id}) or a time range ({from, to}).", tag: "integrations",
                                  parameters: [idParameter], body: ["type": "object"],
                                  responses: ["200": jsonResponse("How many jobs were re-enqueued", schema: ["type": "object"]),
                                              "404": errorResponse("Not found"), "422": errorResponse("Invalid selection")]),
            ],
            "/api/v1/webhook/{integration_id}": [
                "post": operation("Receive a platform's webhook: verified on the raw body (per platform or Standard Webhooks), rate limited, logged and queued in one commit before the 202.",
                                  tag: "webhooks", auth: false, parameters: [integrationParameter], body: ["description": "The platform's payload, as sent."],
                                  responses: ["202": jsonResponse("Accepted: {request_id}", schema: ["type": "object"]),
                                              "200": jsonResponse("A duplicate: {duplicate: true, request_id of the first}", schema: ["type": "object"]),
                                              "401": errorResponse("Verification failed"), "404": errorResponse("No such integration"),
                                              "410": errorResponse("The integration is inactive"), "413": errorResponse("Too large"),
                                              "429": errorResponse("Rate limited (Retry-After, RateLimit-*)")]),
                "get": operation("WhatsApp's verification handshake: hub.mode=subscribe and the verify token → the challenge as plain text.",
                                 tag: "webhooks", auth: false, parameters: [integrationParameter],
                                 responses: ["200": ["description": "The challenge", "content": ["text/plain": ["schema": ["type": "string"]]]],
                                             "403": errorResponse("Wrong mode or token")]),
            ],
            "/api/v1/webhook/{integration_id}/{platform}": [
                "post": operation("As POST /api/v1/webhook/{integration_id}, with the platform named in the path (it must match the integration's type).",
                                  tag: "webhooks", auth: false,
                                  parameters: [integrationParameter, ["name": "platform", "in": "path", "required": true, "schema": ["type": "string"]]],
                                  body: ["description": "The platform's payload, as sent."],
                                  responses: ["202": jsonResponse("Accepted: {request_id}", schema: ["type": "object"]),
                                              "401": errorResponse("Verification failed"), "404": errorResponse("No such integration or platform mismatch")]),
            ],
            "/api/v1/integrations/{id}": [
                "get": operation("One of the caller's integrations.", tag: "integrations", parameters: [idParameter],
                                 responses: ["200": jsonResponse("The integration", schema: ref("Integration")), "404": errorResponse("Not found (or not the caller's)")]),
                "put": operation("Change an integration's fields.", tag: "integrations", parameters: [idParameter], body: ref("IntegrationUpdate"),
                                 responses: ["200": jsonResponse("Updated", schema: ref("Integration")), "404": errorResponse("Not found"), "422": errorResponse("Invalid fields")]),
                "delete": operation("Delete an integration.", tag: "integrations", parameters: [idParameter],
                                    responses: ["204": ["description": "Deleted"], "404": errorResponse("Not found")]),
            ],
        ]
    }

    static var schemas: JSONValue {
        let integrationTypes: JSONValue = ["type": "string", "enum": ["whatsapp", "telegram", "zapier", "n8n", "make", "generic"]]
        return [
            "ErrorResponse": [
                "type": "object", "required": ["error", "code", "message", "timestamp"],
                "properties": [
                    "error": ["type": "string", "description": "The HTTP reason phrase."],
                    "code": ["type": "string", "description": "Stable machine-readable code, e.g. VALIDATION_FAILED."],
                    "message": ["type": "string"],
                    "details": ["description": "Structured context; for 422, `fields`: [{path, message}] with JSON Pointers."],
                    "timestamp": ["type": "string", "format": "date-time"],
                ],
            ],
            "Integration": [
                "type": "object",
                "required": ["id", "user_id", "name", "type", "status", "config", "rate_limit_per_minute", "created_at", "updated_at"],
                "properties": [
                    "id": ["type": "string", "format": "uuid"], "user_id": ["type": "string", "format": "uuid"],
                    "name": ["type": "string"], "type": integrationTypes,
                    "status": ["type": "string", "enum": ["active", "inactive", "error"]],
                    "config": ["type": "object"], "rate_limit_per_minute": ["type": "integer"],
                    "last_used_at": ["type": ["string", "null"], "format": "date-time"],
                    "created_at": ["type": "string", "format": "date-time"], "updated_at": ["type": "string", "format": "date-time"],
                ],
            ],
            "IntegrationCreate": [
                "type": "object", "required": ["name", "type"], "additionalProperties": false,
                "properties": [
                    "name": ["type": "string", "minLength": 1, "maxLength": 200], "type": integrationTypes,
                    "status": ["type": "string", "enum": ["active", "inactive"]], "config": ["type": "object"],
                    "rate_limit_per_minute": ["type": "integer", "minimum": 1, "maximum": 100000, "default": 60],
                ],
            ],
            "IntegrationUpdate": [
                "type": "object", "minProperties": 1, "additionalProperties": false,
                "properties": [
                    "name": ["type": "string", "minLength": 1, "maxLength": 200], "type": integrationTypes,
                    "status": ["type": "string", "enum": ["active", "inactive"]], "config": ["type": "object"],
                    "rate_limit_per_minute": ["type": "integer", "minimum": 1, "maximum": 100000],
                ],
            ],
            "Me": [
                "type": "object", "required": ["user_id", "is_admin"],
                "properties": ["user_id": ["type": "string", "format": "uuid"], "email": ["type": ["string", "null"]], "is_admin": ["type": "boolean"]],
            ],
            "AuditPage": [
                "type": "object", "required": ["items", "total", "page", "per_page"],
                "properties": [
                    "items": ["type": "array", "items": [
                        "type": "object",
                        "properties": [
                            "id": ["type": "string", "format": "uuid"], "actor_id": ["type": ["string", "null"]],
                            "action": ["type": "string"], "target_type": ["type": "string"], "target_id": ["type": "string"],
                            "details": ["type": "object"], "created_at": ["type": "string", "format": "date-time"],
                        ],
                    ]],
                    "total": ["type": "integer"], "page": ["type": "integer"], "per_page": ["type": "integer"],
                ],
            ],
            "Credential": [
                "type": "object",
                "required": ["id", "user_id", "service_type", "service_name", "fields", "scopes", "status", "created_at", "updated_at"],
                "properties": [
                    "id": ["type": "string", "format": "uuid"], "user_id": ["type": "string", "format": "uuid"],
                    "service_type": ["type": "string"], "service_name": ["type": "string"],
                    "fields": ["type": "array", "items": ["type": "string"], "description": "Names of the stored secret fields; values are never returned."],
                    "scopes": ["type": "array", "items": ["type": "string"]],
                    "status": ["type": "string", "enum": ["active", "expired", "revoked", "invalid"]],
                    "expires_at": ["type": ["string", "null"], "format": "date-time"],
                    "last_validated_at": ["type": ["string", "null"], "format": "date-time"],
                    "created_at": ["type": "string", "format": "date-time"], "updated_at": ["type": "string", "format": "date-time"],
                ],
            ],
            "CredentialCreate": [
                "type": "object", "required": ["service_type", "service_name", "credentials"], "additionalProperties": false,
                "properties": [
                    "service_type": ["type": "string", "pattern": "^[a-z0-9][a-z0-9_.-]{0,63}$"],
                    "service_name": ["type": "string", "minLength": 1, "maxLength": 200],
                    "credentials": ["type": "object", "minProperties": 1, "maxProperties": 50, "additionalProperties": ["type": "string", "minLength": 1]],
                    "scopes": ["type": "array", "items": ["type": "string"]],
                    "expires_at": ["type": ["string", "null"], "format": "date-time"],
                ],
            ],
            "CredentialUpdate": [
                "type": "object", "minProperties": 1, "additionalProperties": false,
                "properties": [
                    "service_name": ["type": "string", "minLength": 1, "maxLength": 200],
                    "credentials": ["type": "object", "minProperties": 1, "additionalProperties": ["type": "string", "minLength": 1]],
                    "scopes": ["type": "array", "items": ["type": "string"]],
                    "expires_at": ["type": ["string", "null"], "format": "date-time"],
                ],
            ],
            "CredentialPage": [
                "type": "object", "required": ["items", "total", "page", "per_page"],
                "properties": ["items": ["type": "array", "items": ref("Credential")], "total": ["type": "integer"],
                               "page": ["type": "integer"], "per_page": ["type": "integer"]],
            ],
            "AgentVersion": [
                "type": "object", "required": ["agent_id", "version", "name", "status", "is_active", "capabilities"],
                "properties": [
                    "agent_id": ["type": "string"], "version": ["type": "string"], "name": ["type": "string"], "description": ["type": "string"],
                    "status": ["type": "string", "enum": ["draft", "staged", "approved", "deprecated"]], "is_active": ["type": "boolean"],
                    "first_party": ["type": "boolean"], "capabilities": ["type": "array"], "required_credentials": ["type": "array"],
                    "artifact": ["type": ["object", "null"]], "canary": ["type": "object"], "manifest": ["type": "object"],
                    "created_at": ["type": "string", "format": "date-time"], "updated_at": ["type": "string", "format": "date-time"],
                ],
            ],
            "IntegrationPage": [
                "type": "object", "required": ["items", "total", "page", "per_page"],
                "properties": [
                    "items": ["type": "array", "items": ref("Integration")], "total": ["type": "integer"],
                    "page": ["type": "integer"], "per_page": ["type": "integer"],
                ],
            ],
        ]
    }

    static func operation(_ summary: String, tag: String, auth: Bool = true, parameters: [JSONValue] = [],
                          body: JSONValue? = nil, responses: [String: JSONValue]) -> JSONValue {
        var op: [String: JSONValue] = ["summary": .string(summary), "tags": [.string(tag)]]
        var allResponses = responses
        if auth {
            op["security"] = [["bearer": []]]
            allResponses["401"] = allResponses["401"] ?? errorResponse("Missing or invalid token")
        }
        if !parameters.isEmpty { op["parameters"] = .array(parameters) }
        if let body { op["requestBody"] = ["required": true, "content": ["application/json": ["schema": body]]] }
        op["responses"] = .object(allResponses)
        return .object(op)
    }

    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }

    static func jsonResponse(_ description: String, schema: JSONValue) -> JSONValue {
        ["description": .string(description), "content": ["application/json": ["schema": schema]]]
    }

    static func errorResponse(_ description: String) -> JSONValue { jsonResponse(description, schema: ref("ErrorResponse")) }

    static func queryParameter(_ name: String, _ description: String) -> JSONValue {
        ["name": .string(name), "in": "query", "required": false, "description": .string(description), "schema": ["type": "integer"]]
    }

    static func stringQuery(_ name: String, _ description: String) -> JSONValue {
        ["name": .string(name), "in": "query", "required": false, "description": .string(description), "schema": ["type": "string"]]
    }

    static func lifecycle(_ summary: String) -> JSONValue {
        operation(summary + " Admins only.", tag: "agents", parameters: [agentParameter, ["name": "version", "in": "query", "required": true, "schema": ["type": "string"]]],
                  responses: ["200": jsonResponse("The version after the move", schema: ref("AgentVersion")), "403": errorResponse("Not an administrator"),
                              "404": errorResponse("No such version"), "409": errorResponse("Illegal transition (details.allowed lists the legal ones)"),
                              "422": errorResponse("The artifact was refused when loading")])
    }

    static let integrationParameter: JSONValue = ["name": "integration_id", "in": "path", "required": true, "schema": ["type": "string", "format": "uuid"]]

    static let agentParameter: JSONValue = ["name": "agent_id", "in": "path", "required": true, "schema": ["type": "string"]]

    static let idParameter: JSONValue = ["name": "id", "in": "path", "required": true, "schema": ["type": "string", "format": "uuid"]]
}
