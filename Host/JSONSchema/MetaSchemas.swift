import Foundation
import RenumCore

/// The draft 2020-12 meta-schemas, bundled so `$ref` to them works offline (a plugin schema
/// may embed a schema and point it at the meta-schema). Loaded only when referenced.
enum MetaSchemas {
    static let prefix = "https://json-schema.org/draft/2020-12/"

    /// URI → document, parsed once.
    static let documents: [String: JSONValue] = {
        var out: [String: JSONValue] = [:]
        for text in texts {
            // Bundled text is ours and known to parse; a failure is a bug in this file.
            let value = try! JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
            out[value["$id"]!.stringValue!] = value
        }
        return out
    }()

    private static let base = #""$dynamicAnchor": "meta", "type": ["object", "boolean"]"#

    private static let texts: [String] = [
        #"""
        {"$id": "https://json-schema.org/draft/2020-12/schema", \#(base),
         "allOf": [{"$ref": "meta/core"}, {"$ref": "meta/applicator"}, {"$ref": "meta/unevaluated"},
                   {"$ref": "meta/validation"}, {"$ref": "meta/meta-data"}, {"$ref": "meta/format-annotation"},
                   {"$ref": "meta/content"}],
         "properties": {
           "definitions": {"type": "object", "additionalProperties": {"$dynamicRef": "#meta"}},
           "dependencies": {"type": "object", "additionalProperties": {"anyOf": [
               {"$dynamicRef": "#meta"}, {"$ref": "meta/validation#/$defs/stringArray"}]}},
           "$recursiveAnchor": {"$ref": "meta/core#/$defs/anchorString"},
           "$recursiveRef": {"$ref": "meta/core#/$defs/uriReferenceString"}}}
        """#,
        #"""
        {"$id": "https://json-schema.org/draft/2020-12/meta/core", \#(base),
         "properties": {
           "$id": {"$ref": "#/$defs/uriReferenceString", "pattern": "^[^#]*#?$"},
           "$schema": {"$ref": "#/$defs/uriString"},
           "$ref": {"$ref": "#/$defs/uriReferenceString"},
           "$anchor": {"$ref": "#/$defs/anchorString"},
           "$dynamicRef": {"$ref": "#/$defs/uriReferenceString"},
           "$dynamicAnchor": {"$ref": "#/$defs/anchorString"},
           "$vocabulary": {"type": "object", "propertyNames": {"$ref": "#/$defs/uriString"},
                           "additionalProperties": {"type": "boolean"}},
           "$comment": {"type": "string"},
           "$defs": {"type": "object", "additionalProperties": {"$dynamicRef": "#meta"}}},
         "$defs": {
           "anchorString": {"type": "string", "pattern": "^[A-Za-z_][-A-Za-z0-9._]*$"},
           "uriString": {"type": "string", "format": "uri"},
           "uriReferenceString": {"type": "string", "format": "uri-reference"}}}
        """#,
        #"""
        {"$id": "https://json-schema.org/draft/2020-12/meta/applicator", \#(base),
         "properties": {
           "prefixItems": {"$ref": "#/$defs/schemaArray"},
           "items": {"$dynamicRef": "#meta"},
           "contains": {"$dynamicRef": "#meta"},
           "additionalProperties": {"$dynamicRef": "#meta"},
           "properties": {"type": "object", "additionalProperties": {"$dynamicRef": "#meta"}},
           "patternProperties": {"type": "object", "additionalProperties": {"$dynamicRef": "#meta"},
                                 "propertyNames": {"format": "regex"}},
           "dependentSchemas": {"type": "object", "additionalProperties": {"$dynamicRef": "#meta"}},
           "propertyNames": {"$dynamicRef": "#meta"},
           "if": {"$dynamicRef": "#meta"}, "then": {"$dynamicRef": "#meta"}, "else": {"$dynamicRef": "#meta"},
           "allOf": {"$ref": "#/$defs/schemaArray"}, "anyOf": {"$ref": "#/$defs/schemaArray"},
           "oneOf": {"$ref": "#/$defs/schemaArray"}, "not": {"$dynamicRef": "#meta"}},
         "$defs": {"schemaArray": {"type": "array", "minItems": 1, "items": {"$dynamicRef": "#meta"}}}}
        """#,
        #"""
        {"$id": "https://json-schema.org/draft/2020-12/meta/unevaluated", \#(base),
         "properties": {"unevaluatedItems": {"$dynamicRef": "#meta"},
                        "unevaluatedProperties": {"$dynamicRef": "#meta"}}}
        """#,
        #"""
        {"$id": "https://json-schema.org/draft/2020-12/meta/validation", \#(base),
         "properties": {
           "type": {"anyOf": [{"$ref": "#/$defs/simpleTypes"},
                              {"type": "array", "items": {"$ref": "#/$defs/simpleTypes"}, "minItems": 1, "uniqueItems": true}]},
           "const": true,
           "enum": {"type": "array", "items": true},
           "multipleOf": {"type": "number", "exclusiveMinimum": 0},
           "maximum": {"type": "number"}, "exclusiveMaximum": {"type": "number"},
           "minimum": {"type": "number"}, "exclusiveMinimum": {"type": "number"},
           "maxLength": {"$ref": "#/$defs/nonNegativeInteger"},
           "minLength": {"$ref": "#/$defs/nonNegativeIntegerDefault0"},
           "pattern": {"type": "string", "format": "regex"},
           "maxItems": {"$ref": "#/$defs/nonNegativeInteger"},
           "minItems": {"$ref": "#/$defs/nonNegativeIntegerDefault0"},
           "uniqueItems": {"type": "boolean"},
           "maxContains": {"$ref": "#/$defs/nonNegativeInteger"},
           "minContains": {"$ref": "#/$defs/nonNegativeInteger"},
           "maxProperties": {"$ref": "#/$defs/nonNegativeInteger"},
           "minProperties": {"$ref": "#/$defs/nonNegativeIntegerDefault0"},
           "required": {"$ref": "#/$defs/stringArray"},
           "dependentRequired": {"type": "object", "additionalProperties": {"$ref": "#/$defs/stringArray"}}},
         "$defs": {
           "nonNegativeInteger": {"type": "integer", "minimum": 0},
           "nonNegativeIntegerDefault0": {"$ref": "#/$defs/nonNegativeInteger"},
           "simpleTypes": {"enum": ["array", "boolean", "integer", "null", "number", "object", "string"]},
           "stringArray": {"type": "array", "items": {"type": "string"}, "uniqueItems": true}}}
        """#,
        #"""
        {"$id": "https://json-schema.org/draft/2020-12/meta/meta-data", \#(base),
         "properties": {"title": {"type": "string"}, "description": {"type": "string"}, "default": true,
                        "deprecated": {"type": "boolean"}, "readOnly": {"type": "boolean"},
                        "writeOnly": {"type": "boolean"}, "examples": {"type": "array", "items": true}}}
        """#,
        #"""
        {"$id": "https://json-schema.org/draft/2020-12/meta/format-annotation", \#(base),
         "properties": {"format": {"type": "string"}}}
        """#,
        #"""
        {"$id": "https://json-schema.org/draft/2020-12/meta/content", \#(base),
         "properties": {"contentEncoding": {"type": "string"}, "contentMediaType": {"type": "string"},
                        "contentSchema": {"$dynamicRef": "#meta"}}}
        """#,
    ]
}
