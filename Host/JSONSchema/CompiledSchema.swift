import Foundation
import RenumCore

/// A compiled regular expression. NSRegularExpression is immutable once built and
/// documented as safe to use from several threads, hence the unchecked conformance.
struct Pattern: @unchecked Sendable {
    let source: String
    let regex: NSRegularExpression

    /// Compiles `source`; nil when ICU rejects it.
    init?(_ source: String) {
        guard let regex = try? NSRegularExpression(pattern: source, options: []) else { return nil }
        self.source = source
        self.regex = regex
    }

    /// True when the pattern matches anywhere in `s` (JSON Schema patterns are not anchored).
    func matches(_ s: String) -> Bool {
        regex.firstMatch(in: s, options: [], range: NSRange(s.startIndex..., in: s)) != nil
    }
}

/// The JSON types `type` can name, as a bit set.
struct TypeSet: OptionSet, Sendable {
    let rawValue: UInt8
    static let null = TypeSet(rawValue: 1)
    static let boolean = TypeSet(rawValue: 2)
    static let object = TypeSet(rawValue: 4)
    static let array = TypeSet(rawValue: 8)
    static let number = TypeSet(rawValue: 16)
    static let string = TypeSet(rawValue: 32)
    static let integer = TypeSet(rawValue: 64)

    static let names: [(String, TypeSet)] = [
        ("null", .null), ("boolean", .boolean), ("object", .object), ("array", .array),
        ("number", .number), ("string", .string), ("integer", .integer),
    ]
}

/// One compiled keyword. Subschemas are indices into `CompiledSchema.nodes`.
enum Keyword: Sendable {
    case type(TypeSet, [String])
    case enumeration([JSONValue])
    case const(JSONValue)
    case minLength(Int), maxLength(Int), pattern(Pattern), format(Format)
    case minimum(Double), maximum(Double), exclusiveMinimum(Double), exclusiveMaximum(Double)
    case multipleOf(Double)
    case minItems(Int), maxItems(Int), uniqueItems
    case minProperties(Int), maxProperties(Int)
    case required([String])
    case dependentRequired([(String, [String])])
    case properties([String: Int])
    case patternProperties([(Pattern, Int)])
    case additionalProperties(Int, known: Set<String>, patterns: [Pattern])
    case propertyNames(Int)
    case prefixItems([Int])
    case items(Int, from: Int)
    case contains(Int, min: Int, max: Int?)
    case allOf([Int]), anyOf([Int]), oneOf([Int]), not(Int)
    case conditional(if: Int, then: Int?, else: Int?)
    case dependentSchemas([(String, Int)])
    case ref(Int)
    /// `target` is the static resolution; `anchor` is set when the target carries a
    /// matching `$dynamicAnchor`, so the dynamic scope may override it.
    case dynamicRef(Int, anchor: String?)
    case unevaluatedProperties(Int), unevaluatedItems(Int)
}

/// A compiled (sub)schema.
struct Node: Sendable {
    /// Schema location of this node, prefixed to every keyword's schemaPath.
    var path: String
    /// Set for the boolean schemas `true` and `false`.
    var constant: Bool?
    /// Keywords paired with their names, `unevaluated*` last because they depend on the others.
    var keywords: [(name: String, keyword: Keyword)] = []
    /// Index into `CompiledSchema.resources` of the resource this node belongs to;
    /// evaluation pushes it on the dynamic scope when it differs from the innermost one.
    var resource: Int = 0
}

/// A schema resource (a document root or a subschema with `$id`).
struct Resource: Sendable {
    var uri: String
    /// `$dynamicAnchor` names declared in this resource, to their nodes.
    var dynamicAnchors: [String: Int] = [:]
}

/// Everything validation needs, built once by `SchemaCompiler`.
struct CompiledSchema: Sendable {
    var nodes: [Node]
    var resources: [Resource]
    var root: Int
    /// False when no `unevaluated*` keyword exists, so evaluation can skip annotation bookkeeping.
    var tracksAnnotations: Bool
}

/// How a schema is compiled.
struct CompileOptions: Sendable {
    /// Further documents `$ref` may reach, by absolute URI.
    var resources: [String: JSONValue] = [:]
    /// Whether `format` asserts (the default here) or is only an annotation (the 2020-12 default).
    var assertFormat = true
}
