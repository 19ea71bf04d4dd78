import Foundation
import RenumCore

extension SchemaCompiler {
    /// Compiles one schema object's keywords in a fixed order (so errors come out in a
    /// stable order), checking each keyword's value as it goes.
    func compileKeywords(_ o: [String: JSONValue], at loc: Location, base: String) throws(SchemaError) -> [(name: String, keyword: Keyword)] {
        var out: [(name: String, keyword: Keyword)] = []
        func fail(_ key: String, _ message: String) -> SchemaError {
            SchemaError(schemaPath: display(loc.appending(key)), message: message)
        }
        func sub(_ key: String) throws(SchemaError) -> Int? {
            guard o[key] != nil else { return nil }
            return try compile(loc.appending(key), fallbackBase: base)
        }
        func subArray(_ key: String) throws(SchemaError) -> [Int]? {
            guard let v = o[key] else { return nil }
            guard case .array(let items) = v, !items.isEmpty else { throw fail(key, "must be a non-empty array of schemas") }
            var result: [Int] = []
            for i in items.indices { result.append(try compile(loc.appending(key).appending(String(i)), fallbackBase: base)) }
            return result
        }
        func subMap(_ key: String) throws(SchemaError) -> [(String, Int)]? {
            guard let v = o[key] else { return nil }
            guard case .object(let map) = v else { throw fail(key, "must be an object of schemas") }
            var result: [(String, Int)] = []
            for name in map.keys.sorted() {
                result.append((name, try compile(loc.appending(key).appending(name), fallbackBase: base)))
            }
            return result
        }
        func count(_ key: String) throws(SchemaError) -> Int? {
            guard let v = o[key] else { return nil }
            guard case .number(let n) = v, n >= 0, n.rounded() == n else { throw fail(key, "must be a non-negative integer") }
            return n > Double(Int.max / 2) ? Int.max / 2 : Int(n)
        }
        func number(_ key: String) throws(SchemaError) -> Double? {
            guard let v = o[key] else { return nil }
            guard case .number(let n) = v else { throw fail(key, "must be a number") }
            return n
        }
        func stringArray(_ value: JSONValue, _ key: String) throws(SchemaError) -> [String] {
            guard case .array(let items) = value else { throw fail(key, "must be an array of strings") }
            var result: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw fail(key, "must be an array of strings") }
                guard !result.contains(s) else { throw fail(key, "must not repeat '\(s)'") }
                result.append(s)
            }
            return result
        }
        func pattern(_ source: String, _ key: String) throws(SchemaError) -> Pattern {
            guard let p = Pattern(source) else { throw fail(key, "invalid regular expression '\(source)'") }
            return p
        }

        for key in ["$id", "$anchor", "$dynamicAnchor"] {
            if let v = o[key], v.stringValue == nil { throw fail(key, "must be a string") }
        }
        if case .string(let id)? = o["$id"], let hash = id.firstIndex(of: "#"), id.index(after: hash) != id.endIndex {
            throw fail("$id", "must not contain a non-empty fragment")
        }
        for key in ["$anchor", "$dynamicAnchor"] {
            if case .string(let name)? = o[key], !Self.isAnchorName(name) { throw fail(key, "'\(name)' is not a valid anchor name") }
        }
        if let defs = try subMap("$defs") { _ = defs }

        if let v = o["$ref"] {
            guard case .string(let ref) = v else { throw fail("$ref", "must be a string") }
            let (target, _) = try resolveReference(ref, base: base, keywordLoc: loc.appending("$ref"))
            out.append(("$ref", .ref(try compile(target, fallbackBase: resourceBase(of: target)))))
        }
        if let v = o["$dynamicRef"] {
            guard case .string(let ref) = v else { throw fail("$dynamicRef", "must be a string") }
            let (target, fragment) = try resolveReference(ref, base: base, keywordLoc: loc.appending("$dynamicRef"))
            let node = try compile(target, fallbackBase: resourceBase(of: target))
            // Only a plain-name fragment landing on a matching $dynamicAnchor is dynamic (2020-12 §8.2.3.2).
            var anchor: String?
            if !fragment.isEmpty, case .string(let declared)? = JSONPointer.resolve(target.pointer, in: documents[target.doc].value)?["$dynamicAnchor"],
               declared == fragment {
                anchor = fragment
            }
            out.append(("$dynamicRef", .dynamicRef(node, anchor: anchor)))
        }
        if let v = o["type"] {
            var set: TypeSet = []
            var names: [String] = []
            let list: [JSONValue]
            switch v {
            case .string: list = [v]
            case .array(let items): list = items
            default: throw fail("type", "must be a type name or an array of type names")
            }
            for item in list {
                guard case .string(let name) = item, let t = TypeSet.names.first(where: { $0.0 == name })?.1 else {
                    throw fail("type", "must be a type name or an array of type names")
                }
                guard !set.contains(t) else { throw fail("type", "must not repeat '\(name)'") }
                set.insert(t)
                names.append(name)
            }
            out.append(("type", .type(set, names)))
        }
        if let v = o["enum"] {
            guard case .array(let items) = v else { throw fail("enum", "must be an array") }
            out.append(("enum", .enumeration(items)))
        }
        if let v = o["const"] { out.append(("const", .const(v))) }
        if let v = o["format"] {
            guard case .string(let name) = v else { throw fail("format", "must be a string") }
            if options.assertFormat, let f = Format(rawValue: name) { out.append(("format", .format(f))) }
        }
        if let n = try count("minLength") { out.append(("minLength", .minLength(n))) }
        if let n = try count("maxLength") { out.append(("maxLength", .maxLength(n))) }
        if let v = o["pattern"] {
            guard case .string(let s) = v else { throw fail("pattern", "must be a string") }
            out.append(("pattern", .pattern(try pattern(s, "pattern"))))
        }
        if let n = try number("minimum") { out.append(("minimum", .minimum(n))) }
        if let n = try number("maximum") { out.append(("maximum", .maximum(n))) }
        if let n = try number("exclusiveMinimum") { out.append(("exclusiveMinimum", .exclusiveMinimum(n))) }
        if let n = try number("exclusiveMaximum") { out.append(("exclusiveMaximum", .exclusiveMaximum(n))) }
        if let n = try number("multipleOf") {
            guard n > 0 else { throw fail("multipleOf", "must be greater than 0") }
            out.append(("multipleOf", .multipleOf(n)))
        }
        if let v = o["required"] { out.append(("required", .required(try stringArray(v, "required")))) }
        if let v = o["dependentRequired"] {
            guard case .object(let map) = v else { throw fail("dependentRequired", "must be an object of string arrays") }
            var deps: [(String, [String])] = []
            for name in map.keys.sorted() { deps.append((name, try stringArray(map[name]!, "dependentRequired"))) }
            out.append(("dependentRequired", .dependentRequired(deps)))
        }
        if let n = try count("minProperties") { out.append(("minProperties", .minProperties(n))) }
        if let n = try count("maxProperties") { out.append(("maxProperties", .maxProperties(n))) }
        let properties = try subMap("properties")
        if let properties { out.append(("properties", .properties(Dictionary(uniqueKeysWithValues: properties)))) }
        var patterns: [(Pattern, Int)] = []
        if let map = try subMap("patternProperties") {
            for (source, node) in map { patterns.append((try pattern(source, "patternProperties"), node)) }
            out.append(("patternProperties", .patternProperties(patterns)))
        }
        if let node = try sub("additionalProperties") {
            out.append(("additionalProperties", .additionalProperties(
                node, known: Set(properties?.map(\.0) ?? []), patterns: patterns.map(\.0))))
        }
        if let node = try sub("propertyNames") { out.append(("propertyNames", .propertyNames(node))) }
        if let deps = try subMap("dependentSchemas") { out.append(("dependentSchemas", .dependentSchemas(deps))) }
        if let n = try count("minItems") { out.append(("minItems", .minItems(n))) }
        if let n = try count("maxItems") { out.append(("maxItems", .maxItems(n))) }
        if let v = o["uniqueItems"] {
            guard case .bool(let b) = v else { throw fail("uniqueItems", "must be a boolean") }
            if b { out.append(("uniqueItems", .uniqueItems)) }
        }
        let prefix = try subArray("prefixItems")
        if let prefix { out.append(("prefixItems", .prefixItems(prefix))) }
        if let node = try sub("items") { out.append(("items", .items(node, from: prefix?.count ?? 0))) }
        let minContains = try count("minContains")
        let maxContains = try count("maxContains")
        if let node = try sub("contains") {
            out.append(("contains", .contains(node, min: minContains ?? 1, max: maxContains)))
        }
        if let nodes = try subArray("allOf") { out.append(("allOf", .allOf(nodes))) }
        if let nodes = try subArray("anyOf") { out.append(("anyOf", .anyOf(nodes))) }
        if let nodes = try subArray("oneOf") { out.append(("oneOf", .oneOf(nodes))) }
        if let node = try sub("not") { out.append(("not", .not(node))) }
        let thenNode = try sub("then")
        let elseNode = try sub("else")
        if let ifNode = try sub("if") { out.append(("if", .conditional(if: ifNode, then: thenNode, else: elseNode))) }
        if let node = try sub("unevaluatedItems") {
            tracksAnnotations = true
            out.append(("unevaluatedItems", .unevaluatedItems(node)))
        }
        if let node = try sub("unevaluatedProperties") {
            tracksAnnotations = true
            out.append(("unevaluatedProperties", .unevaluatedProperties(node)))
        }
        return out
    }

    /// The base URI to compile a reference target with, when indexing did not record one.
    func resourceBase(of loc: Location) -> String {
        if let base = baseAt[loc] { return base }
        // Walk up to the nearest indexed ancestor.
        var pointer = loc.pointer
        while let slash = pointer.lastIndex(of: "/") {
            pointer = String(pointer[..<slash])
            if let base = baseAt[Location(doc: loc.doc, pointer: pointer)] { return base }
        }
        return documents[loc.doc].uri
    }

    /// `$anchor` names: a letter or "_", then letters, digits, "-", "_", "." (2020-12 §8.2.2).
    static func isAnchorName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first.isASCII,
              first.properties.isAlphabetic || first == "_" else { return false }
        return s.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0))
        }
    }
}
