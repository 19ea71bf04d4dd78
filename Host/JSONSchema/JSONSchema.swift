import Foundation
import RenumCore

/// A compiled JSON Schema (draft 2020-12), ready to validate instances many times.
///
/// Compiling checks the schema itself (keyword value types, regular expressions, that every
/// `$ref` resolves within the given documents); nothing is fetched from the network.
public struct JSONSchema: Sendable {
    let compiled: CompiledSchema

    /// Compiles `schema`; throws with the JSON Pointer of the first problem found.
    public init(_ schema: JSONValue) throws(SchemaError) {
        compiled = try SchemaCompiler.compile(schema, options: CompileOptions())
    }

    /// Compiles `schema`, letting `$ref` also reach `resources`: further schema documents by
    /// absolute URI (for example "https://example.com/address.json"). Only the main schema
    /// is checked up front; a resource is compiled when a reference reaches it. With
    /// `assertFormat: false`, `format` is only an annotation, as the 2020-12 default has it.
    public init(_ schema: JSONValue, resources: [String: JSONValue], assertFormat: Bool = true) throws(SchemaError) {
        compiled = try SchemaCompiler.compile(schema, options: CompileOptions(resources: resources, assertFormat: assertFormat))
    }

    /// Parses UTF-8 JSON text and compiles it.
    public init(data: [UInt8]) throws(SchemaError) {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(data))
        } catch {
            throw SchemaError(schemaPath: "", message: "not valid JSON: \(error)")
        }
        try self.init(value)
    }

    /// Every way `instance` fails the schema (empty when it is valid). Failures inside
    /// anyOf/oneOf/not/if/contains branches are summarised by the applying keyword.
    public func validate(_ instance: JSONValue) -> [ValidationError] {
        let evaluator = Evaluator(schema: compiled, collecting: true)
        var annotations = Annotations()
        _ = evaluator.evaluate(compiled.root, instance, &annotations)
        return evaluator.errors
    }

    /// Whether `instance` is valid; stops at the first failure and builds no messages.
    public func isValid(_ instance: JSONValue) -> Bool {
        let evaluator = Evaluator(schema: compiled, collecting: false)
        var annotations = Annotations()
        return evaluator.evaluate(compiled.root, instance, &annotations)
    }
}
