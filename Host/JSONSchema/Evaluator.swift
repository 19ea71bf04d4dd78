import RenumCore

/// What subschemas evaluated in place have looked at, for `unevaluated*`.
struct Annotations {
    var properties: Set<String> = []
    var allProperties = false
    /// Items [0, items) were evaluated.
    var items = 0
    var allItems = false
    var containsIndices: Set<Int> = []

    mutating func merge(_ other: Annotations) {
        if other.allProperties { allProperties = true } else if !other.properties.isEmpty { properties.formUnion(other.properties) }
        items = max(items, other.items)
        if other.allItems { allItems = true }
        if !other.containsIndices.isEmpty { containsIndices.formUnion(other.containsIndices) }
    }
}

/// One validation run: walks the compiled nodes over an instance. Not shared between runs.
final class Evaluator {
    /// Deeper nesting than this is reported as an error instead of risking the stack
    /// (a `$ref` cycle that never consumes the instance would otherwise never end).
    static let maxDepth = 400

    let schema: CompiledSchema
    /// False for `isValid`: no messages are built and evaluation stops at the first failure.
    let collecting: Bool
    /// > 0 while evaluating subschemas whose errors are thrown away (anyOf branches, not, if, contains).
    var muted = 0
    var errors: [ValidationError] = []
    /// Instance path tokens, unescaped; joined only when an error is recorded.
    var path: [String] = []
    /// Resources entered, outermost first, for `$dynamicRef`.
    var scope: [Int] = []
    var depth = 0

    init(schema: CompiledSchema, collecting: Bool) {
        self.schema = schema
        self.collecting = collecting
    }

    var recording: Bool { collecting && muted == 0 }
    var tracking: Bool { schema.tracksAnnotations }

    func report(_ node: Node, _ keyword: String, _ message: @autoclosure () -> String) {
        guard recording else { return }
        errors.append(ValidationError(instancePath: JSONPointer.join(path), schemaPath: node.path + "/" + keyword,
                                      keyword: keyword, message: message()))
    }

    /// Evaluates node `index` against `instance`, merging its annotations into `annotations` when valid.
    func evaluate(_ index: Int, _ instance: JSONValue, _ annotations: inout Annotations) -> Bool {
        let node = schema.nodes[index]
        if let constant = node.constant {
            if !constant, recording {
                errors.append(ValidationError(instancePath: JSONPointer.join(path), schemaPath: node.path,
                                              keyword: "false", message: "is not allowed (the schema is false)"))
            }
            return constant
        }
        guard depth < Self.maxDepth else {
            report(node, "$ref", "exceeds the maximum schema nesting depth (\(Self.maxDepth)); is there a reference cycle?")
            return false
        }
        depth += 1
        let entered = scope.last != node.resource
        if entered { scope.append(node.resource) }
        defer {
            depth -= 1
            if entered { scope.removeLast() }
        }
        var local = Annotations()
        var valid = true
        for (name, keyword) in node.keywords where !evaluate(keyword, name, node, instance, &local) {
            valid = false
            if !recording { return false }
        }
        if valid && tracking { annotations.merge(local) }
        return valid
    }

    /// Evaluates a subschema whose errors do not matter, only its verdict.
    func silently(_ index: Int, _ instance: JSONValue, _ annotations: inout Annotations) -> Bool {
        muted += 1
        defer { muted -= 1 }
        return evaluate(index, instance, &annotations)
    }

    /// Evaluates a subschema against a child of the instance (its annotations stay with the child).
    func child(_ index: Int, _ token: String, _ instance: JSONValue) -> Bool {
        path.append(token)
        defer { path.removeLast() }
        var ignored = Annotations()
        return evaluate(index, instance, &ignored)
    }
}
