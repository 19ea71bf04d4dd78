import Foundation
import RenumCore

/// Finds and loads the JSON-Schema-Test-Suite from the shared/ folder beside the repository.
enum ConformanceSuite {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The suite's root: `$RENUM_SHARED_DIR/conformance/json-schema-test-suite`, else the first
    /// `shared/conformance/json-schema-test-suite` found beside a folder above this file.
    static func root(filePath: String = #filePath) throws -> URL {
        let fm = FileManager.default
        let relative = "conformance/json-schema-test-suite"
        if let shared = ProcessInfo.processInfo.environment["RENUM_SHARED_DIR"], !shared.isEmpty {
            let url = URL(fileURLWithPath: shared).appendingPathComponent(relative)
            guard fm.fileExists(atPath: url.appendingPathComponent("tests").path) else {
                throw Failure(description: "RENUM_SHARED_DIR is set but \(url.path)/tests does not exist")
            }
            return url
        }
        var dir = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("shared").appendingPathComponent(relative)
            if fm.fileExists(atPath: candidate.appendingPathComponent("tests").path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        throw Failure(description: "JSON-Schema-Test-Suite not found: set RENUM_SHARED_DIR or put shared/\(relative) beside the repository")
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
