import Foundation
import RenumTestSupport
import RenumCore

/// Finds and loads the JSON-Schema-Test-Suite from the shared/ folder beside the repository.
enum ConformanceSuite {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The suite's root, found with the shared locator (RENUM_SHARED_DIR or shared/ beside the repository).
    static func root(filePath: String = #filePath) throws -> URL {
        let root = try SharedConformance.directory("conformance/json-schema-test-suite", filePath: filePath)
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent("tests").path) else {
            throw Failure(description: "\(root.path) has no tests/ folder")
        }
        return root
    }

    static func load(_ url: URL) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: url))
    }

    /// Every file under remotes/, keyed by the URL the suite serves it from.
    static func remotes(root: URL) throws -> [String: JSONValue] {
        let base = root.appendingPathComponent("remotes")
        var out: [String: JSONValue] = [:]
        guard let walker = FileManager.default.enumerator(atPath: base.path) else { return out }
        for case let relative as String in walker where relative.hasSuffix(".json") {
            out["http://localhost:1234/" + relative] = try load(base.appendingPathComponent(relative))
        }
        return out
    }
}
