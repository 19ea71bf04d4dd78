import RenumCore

extension SchemaCompiler {
    /// Keywords of each 2020-12 vocabulary that a custom meta-schema can switch off.
    static let vocabularyKeywords: [String: Set<String>] = [
        "core": [],
        "applicator": ["prefixItems", "items", "contains", "additionalProperties", "properties", "patternProperties",
                       "dependentSchemas", "propertyNames", "if", "then", "else", "allOf", "anyOf", "oneOf", "not"],
        "unevaluated": ["unevaluatedItems", "unevaluatedProperties"],
        "validation": ["type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
                       "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains",
                       "minContains", "maxProperties", "minProperties", "required", "dependentRequired"],
        "meta-data": [], "content": [],
        "format-annotation": ["format"], "format-assertion": ["format"],
    ]
    static let vocabularyPrefix = "https://json-schema.org/draft/2020-12/vocab/"

    /// Keywords the main document's meta-schema leaves out, from the `$vocabulary` of the
    /// meta-schema its root `$schema` names (when that meta-schema is available); empty otherwise.
    func disabledKeywords(for root: JSONValue) throws(SchemaError) -> Set<String> {
        guard case .string(let metaURI)? = root["$schema"] else { return [] }
        let uri = URIReference(metaURI).withoutFragment.text
        guard let meta = options.resources[uri] ?? MetaSchemas.documents[uri],
              case .object(let vocabularies)? = meta["$vocabulary"] else { return [] }
        var enabled: Set<String> = []
        for (vocabulary, required) in vocabularies {
            if vocabulary.hasPrefix(Self.vocabularyPrefix),
               Self.vocabularyKeywords[String(vocabulary.dropFirst(Self.vocabularyPrefix.count))] != nil {
                enabled.insert(String(vocabulary.dropFirst(Self.vocabularyPrefix.count)))
            } else if required == .bool(true) {
                throw SchemaError(schemaPath: "/$schema", message: "meta-schema requires unsupported vocabulary '\(vocabulary)'")
            }
        }
        var disabled: Set<String> = []
        for (name, keywords) in Self.vocabularyKeywords where !enabled.contains(name) { disabled.formUnion(keywords) }
        for name in enabled { disabled.subtract(Self.vocabularyKeywords[name] ?? []) }
        return disabled
    }
}
