// Generated from manifests/sa-http-generic.json by scripts/embed-manifest.py; a test checks they are equal.
enum HTTPGenericManifest {
    static let text = #"""
{
  "agent_id": "sa-http-generic",
  "version": "1.0.0",
  "name": "Generic HTTP",
  "description": "Sends an HTTP request through the host's egress (Zapier, n8n or Make webhooks, or any HTTP API the policy allows) and returns status, headers and body.",
  "capabilities": [
    {
      "name": "http_request",
      "description": "Send one HTTP request: method, url, headers, a JSON or text body, and a timeout. Returns the status, the response headers and the body (parsed when it is JSON).",
      "input_schema": {
        "type": "object",
        "properties": {
          "method": {"type": "string", "enum": ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"], "default": "GET"},
          "url": {"type": "string", "format": "uri", "pattern": "^https?://"},
          "headers": {"type": "object", "additionalProperties": {"type": "string"}},
          "json": {"description": "A JSON body, sent with Content-Type: application/json."},
          "body": {"type": "string", "description": "A raw text body (when json is absent)."},
          "timeout_ms": {"type": "integer", "minimum": 1, "maximum": 60000, "default": 10000}
        },
        "required": ["url"],
        "additionalProperties": false
      },
      "output_schema": {
        "type": "object",
        "properties": {
          "status": {"type": "integer"},
          "headers": {"type": "object", "additionalProperties": {"type": "string"}},
          "json": {"description": "The body parsed, when it was JSON."},
          "body": {"type": "string", "description": "The body as text, when it was not JSON."}
        },
        "required": ["status", "headers"],
        "additionalProperties": false
      },
      "annotations": {"read_only": false, "destructive": false, "idempotent": false, "open_world": true}
    }
  ],
  "required_credentials": [],
  "policy": {
    "isolation": "inprocess",
    "timeout_ms": 65000,
    "max_memory_mb": 128,
    "max_concurrency": 32,
    "allowed_hosts": ["*"],
    "rate_limit_per_minute": 600
  },
  "cost_per_execution": 0,
  "unit_prices": {"http_request": 0}
}

"""#
}
