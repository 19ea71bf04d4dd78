// Generated from manifests/manifest.schema.json (a test checks they are identical): keep them in step.

/// The manifest rules as a JSON Schema (draft 2020-12): the text of manifests/manifest.schema.json.
public let manifestSchemaText = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://renum.dev/schemas/manifest.schema.json",
  "title": "Renum plugin manifest",
  "description": "What a plugin version declares: identity, capabilities with their input and output schemas, credentials it needs, the policy it runs under, and its price. Unknown fields are refused at every level.",
  "type": "object",
  "additionalProperties": false,
  "required": ["agent_id", "version", "name", "description", "capabilities"],
  "properties": {
    "agent_id": {
      "description": "Stable identifier of the agent, shared by all its versions.",
      "type": "string",
      "pattern": "^[a-z0-9][a-z0-9_.-]{1,63}$"
    },
    "version": {
      "description": "Semantic Versioning 2.0.0.",
      "type": "string",
      "pattern": "^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-((0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(\\.(0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?(\\+([0-9a-zA-Z-]+(\\.[0-9a-zA-Z-]+)*))?$"
    },
    "name": {"type": "string", "minLength": 1, "maxLength": 200},
    "description": {"type": "string", "maxLength": 10000},
    "capabilities": {
      "type": "array",
      "minItems": 1,
      "items": {"$ref": "#/$defs/capability"}
    },
    "required_credentials": {
      "description": "Service types whose credentials (of the calling user) the plugin may ask for.",
      "type": "array",
      "uniqueItems": true,
      "items": {"type": "string", "pattern": "^[A-Za-z0-9_.-]{1,64}$"}
    },
    "policy": {"$ref": "#/$defs/policy"},
    "cost_per_execution": {
      "description": "Price of one call, before units.",
      "type": "number",
      "minimum": 0
    },
    "unit_prices": {
      "description": "Price per metered unit: cost = cost_per_execution + sum(quantity(unit) * unit_prices[unit]); units without a price cost nothing.",
      "type": "object",
      "propertyNames": {"pattern": "^[A-Za-z0-9_.-]{1,64}$"},
      "additionalProperties": {"type": "number", "minimum": 0}
    }
  },
  "$defs": {
    "capability": {
      "type": "object",
      "additionalProperties": false,
      "required": ["name", "description", "input_schema", "output_schema"],
      "properties": {
        "name": {"type": "string", "pattern": "^[A-Za-z0-9_.-]{1,128}$"},
        "description": {"type": "string", "maxLength": 10000},
        "input_schema": {"description": "A JSON Schema (draft 2020-12) for the input.", "type": ["object", "boolean"]},
        "output_schema": {"description": "A JSON Schema (draft 2020-12) for the output.", "type": ["object", "boolean"]},
        "annotations": {
          "description": "Hints, as MCP's tool annotations.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "read_only": {"type": "boolean"},
            "destructive": {"type": "boolean"},
            "idempotent": {"type": "boolean"},
            "open_world": {"type": "boolean"}
          }
        }
      }
    },
    "policy": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "isolation": {"enum": ["process", "inprocess"], "default": "process"},
        "timeout_ms": {"type": "integer", "minimum": 1, "maximum": 300000, "default": 30000},
        "max_memory_mb": {"type": "integer", "minimum": 16, "maximum": 16384, "default": 256},
        "max_concurrency": {"type": "integer", "minimum": 1, "maximum": 1024, "default": 8},
        "allowed_hosts": {
          "description": "Hosts the plugin may reach through the host's egress: an exact host name or address, *.domain for any subdomain of domain, or * alone for any public host name (never an IP literal; private and loopback addresses stay refused unless the server allows them). Admins see this list when they approve a version.",
          "type": "array",
          "uniqueItems": true,
          "items": {"type": "string", "pattern": "^\\*$|^(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"},
          "default": []
        },
        "rate_limit_per_minute": {"type": "integer", "minimum": 1, "maximum": 1000000, "default": 600}
      }
    }
  }
}
"""#
