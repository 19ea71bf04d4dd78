import Foundation
import RenumCore

/// A place in one of the documents being compiled.
struct Location: Hashable {
    var doc: Int
    var pointer: String

    func appending(_ token: String) -> Location {
        Location(doc: doc, pointer: pointer + "/" + JSONPointer.escape(token))
    }
}

/// Turns schema documents into a `CompiledSchema`: first indexes `$id`s and anchors, then
/// compiles every subschema once (memoized by location, so recursive `$ref`s terminate).
final class SchemaCompiler {
    /// Base URI for a root schema without `$id`; only ever used to resolve relative references.
    static let defaultBase = "https://renum.invalid/schema.json"

    struct Document {
        let uri: String
        let value: JSONValue
    }

    let options: CompileOptions
    var documents: [Document] = []

    init(options: CompileOptions) {
        self.options = options
    }

    /// Absolute URI (no fragment) of each schema resource to where it is.
    var resourceLocations: [String: Location] = [:]
    /// "uri#name" of each `$anchor` and `$dynamicAnchor`.
    var anchors: [String: Location] = [:]
    /// Resource URI → `$dynamicAnchor` name → location.
    var dynamicAnchorDecls: [String: [String: Location]] = [:]
    /// Base URI in force at each indexed subschema (after its own `$id`).
    var baseAt: [Location: String] = [:]
    /// Locations that start a resource, with the resource's URI.
    var resourceURIAt: [Location: String] = [:]

    var nodeIndex: [Location: Int] = [:]
    var nodes: [Node] = []
    var resources: [Resource] = []
    var tracksAnnotations = false
    var resourceIndexByURI: [String: Int] = [:]
    var loadedMetaSchemas = false
    /// Keywords switched off by the main document's meta-schema (see `$vocabulary`).
    var disabledKeywords: Set<String> = []

    /// The resource entry for `uri`, created on first use.
    func resourceIndex(for uri: String) -> Int {
        if let r = resourceIndexByURI[uri] { return r }
        resources.append(Resource(uri: uri))
        resourceIndexByURI[uri] = resources.count - 1
        return resources.count - 1
    }

    /// Compiles the `$dynamicAnchor`s of every resource evaluation can enter, so a
    /// `$dynamicRef` can jump to them; repeats because compiling may reach new resources.
    func compileDynamicAnchors() throws(SchemaError) {
        var done = 0
        while done < resources.count {
            let uri = resources[done].uri
            for (name, loc) in (dynamicAnchorDecls[uri] ?? [:]).sorted(by: { $0.key < $1.key }) {
                let node = try compile(loc, fallbackBase: uri)
                resources[done].dynamicAnchors[name] = node
            }
            done += 1
        }
    }

    /// Compiles `root`; `extraDocuments` are further documents `$ref` may reach, by URI.
    static func compile(_ root: JSONValue, options: CompileOptions) throws(SchemaError) -> CompiledSchema {
        let compiler = SchemaCompiler(options: options)
        compiler.addDocument(uri: defaultBase, value: root)
        for (uri, value) in options.resources.sorted(by: { $0.key < $1.key }) {
            compiler.addDocument(uri: URIReference(uri).withoutFragment.text, value: value)
        }
        compiler.disabledKeywords = try compiler.disabledKeywords(for: root)
        let rootIndex = try compiler.compile(Location(doc: 0, pointer: ""), fallbackBase: defaultBase)
        try compiler.compileDynamicAnchors()
        return CompiledSchema(nodes: compiler.nodes, resources: compiler.resources, root: rootIndex,
                              tracksAnnotations: compiler.tracksAnnotations)
    }

    func addDocument(uri: String, value: JSONValue) {
        let loc = Location(doc: documents.count, pointer: "")
        documents.append(Document(uri: uri, value: value))
        if resourceLocations[uri] == nil { resourceLocations[uri] = loc }
        resourceURIAt[loc] = uri
        index(value, at: loc, base: uri)
    }

    /// Keywords whose value is one subschema, an array of them, or a map of them: the only
    /// places `$id` and anchors count (inside `const` or unknown keywords they are just data).
    static let singleSchemaKeys: Set<String> = [
        "additionalProperties", "propertyNames", "items", "contains", "not", "if", "then", "else",
        "unevaluatedItems", "unevaluatedProperties",
    ]
    static let schemaArrayKeys: Set<String> = ["prefixItems", "allOf", "anyOf", "oneOf"]
    static let schemaMapKeys: Set<String> = ["properties", "patternProperties", "$defs", "dependentSchemas"]

    private func index(_ value: JSONValue, at loc: Location, base inherited: String) {
        guard case .object(let members) = value else { return }
        var base = inherited
        if case .string(let id)? = members["$id"] {
            base = URIReference(id).resolved(against: URIReference(inherited)).withoutFragment.text
            if resourceLocations[base] == nil { resourceLocations[base] = loc }
            resourceURIAt[loc] = base
        }
        baseAt[loc] = base
        if case .string(let name)? = members["$anchor"] { anchors[base + "#" + name] = loc }
        if case .string(let name)? = members["$dynamicAnchor"] {
            if anchors[base + "#" + name] == nil { anchors[base + "#" + name] = loc }
            dynamicAnchorDecls[base, default: [:]][name] = loc
        }
        for (key, sub) in members {
            if Self.singleSchemaKeys.contains(key) {
                index(sub, at: loc.appending(key), base: base)
            } else if Self.schemaArrayKeys.contains(key), case .array(let items) = sub {
                for (i, item) in items.enumerated() { index(item, at: loc.appending(key).appending(String(i)), base: base) }
            } else if Self.schemaMapKeys.contains(key), case .object(let map) = sub {
                for (name, item) in map { index(item, at: loc.appending(key).appending(name), base: base) }
            }
        }
    }

    /// How a location is shown in errors: a bare pointer in the main document.
    func display(_ loc: Location) -> String {
        loc.doc == 0 ? loc.pointer : documents[loc.doc].uri + "#" + loc.pointer
    }

    /// Compiles the subschema at `loc` (once), returning its node index.
    func compile(_ loc: Location, fallbackBase: String) throws(SchemaError) -> Int {
        if let existing = nodeIndex[loc] { return existing }
        guard let value = JSONPointer.resolve(loc.pointer, in: documents[loc.doc].value) else {
            throw SchemaError(schemaPath: display(loc), message: "no schema at this location")
        }
        let index = nodes.count
        nodes.append(Node(path: display(loc)))
        nodeIndex[loc] = index
        switch value {
        case .bool(let b):
            nodes[index].constant = b
        case .object(let members):
            var base = baseAt[loc] ?? fallbackBase
            if baseAt[loc] == nil, case .string(let id)? = members["$id"] {
                base = URIReference(id).resolved(against: URIReference(fallbackBase)).withoutFragment.text
            }
            nodes[index].resource = resourceIndex(for: base)
            let active = loc.doc == 0 && !disabledKeywords.isEmpty ? members.filter { !disabledKeywords.contains($0.key) } : members
            let keywords = try compileKeywords(active, at: loc, base: base)
            nodes[index].keywords = keywords
        default:
            throw SchemaError(schemaPath: display(loc), message: "a schema must be an object or a boolean")
        }
        return index
    }

    /// Resolves a `$ref`/`$dynamicRef` value to a location, or throws naming `keywordLoc`.
    func resolveReference(_ ref: String, base: String, keywordLoc: Location) throws(SchemaError) -> (Location, fragment: String) {
        let target = URIReference(ref).resolved(against: URIReference(base))
        let uri = target.withoutFragment.text
        let fragment = target.fragment ?? ""
        let fail = SchemaError(schemaPath: display(keywordLoc), message: "cannot resolve reference '\(ref)'")
        if resourceLocations[uri] == nil, uri.hasPrefix(MetaSchemas.prefix), !loadedMetaSchemas {
            // Bundled, so schemas that point at the meta-schema compile offline.
            loadedMetaSchemas = true
            for (metaURI, document) in MetaSchemas.documents.sorted(by: { $0.key < $1.key })
            where resourceLocations[metaURI] == nil {
                addDocument(uri: metaURI, value: document)
            }
        }
        guard let resource = resourceLocations[uri] else { throw fail }
        if fragment.isEmpty { return (resource, "") }
        if fragment.hasPrefix("/") {
            guard let decoded = fragment.removingPercentEncoding else { throw fail }
            let loc = Location(doc: resource.doc, pointer: resource.pointer + decoded)
            guard JSONPointer.resolve(loc.pointer, in: documents[loc.doc].value) != nil else { throw fail }
            return (loc, "")
        }
        guard let loc = anchors[uri + "#" + fragment] else { throw fail }
        return (loc, fragment)
    }
}
