import Foundation
import RenumCore
import RenumJSONSchema
import Testing

/// Runs the official JSON-Schema-Test-Suite (draft 2020-12). Every file not left out below
/// must pass in full; a per-file table goes to stdout so the result can be quoted.
@Suite struct ConformanceTests {
    /// Files in tests/draft2020-12/ that are not run, and why.
    static let leftOut: [String: String] = [:]

    /// Files in tests/draft2020-12/optional/ that are not run (the suite marks them optional), and why.
    static let optionalNotRun: [String: String] = [
        "optional/format/*.json (others)": "format is asserted only for email, uri, date-time, date, uuid, ipv4, ipv6",
        "optional/ecmascript-regex.json": "patterns run on ICU (NSRegularExpression), not ECMA-262 (\\d, \\w, \\s, $ differ)",
        "optional/cross-draft.json": "other drafts' meta-schemas are not bundled",
        "optional/dependencies-compatibility.json": "pre-2019 `dependencies` keyword is not supported",
    ]

    /// Optional files that are run: `format` is asserted for the format ones.
    static let optionalFiles = [
        "optional/format/email.json", "optional/format/uri.json", "optional/format/date-time.json",
        "optional/format/date.json", "optional/format/uuid.json", "optional/format/ipv4.json",
        "optional/format/ipv6.json",
        "optional/anchor.json", "optional/bignum.json", "optional/dynamicRef.json", "optional/float-overflow.json",
        "optional/format-assertion.json", "optional/id.json", "optional/no-schema.json", "optional/non-bmp-regex.json",
        "optional/refOfUnknownKeyword.json", "optional/unknownKeyword.json",
    ]

    @Test func draft2020_12() throws {
        let root = try ConformanceSuite.root()
        let dir = root.appendingPathComponent("tests/draft2020-12")
        let remotes = try ConformanceSuite.remotes(root: root)
        let topLevel = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        var rows: [(String, Int, Int)] = []
        var failures: [String] = []
        for file in topLevel + Self.optionalFiles where Self.leftOut[file] == nil {
            guard case .array(let groups) = try ConformanceSuite.load(dir.appendingPathComponent(file)) else {
                failures.append("\(file): not an array of test groups")
                continue
            }
            var passed = 0, total = 0
            for group in groups {
                let description = group["description"]?.stringValue ?? "?"
                let tests = group["tests"]?.arrayValue ?? []
                let schema: JSONSchema
                do {
                    // format.json checks the 2020-12 default (annotation only); Renum asserts
                    // format by default, which optional/format/*.json checks.
                    schema = try JSONSchema(group["schema"] ?? .null, resources: remotes, assertFormat: file != "format.json")
                } catch {
                    total += tests.count
                    failures.append("\(file) / \(description): schema rejected: \(error)")
                    continue
                }
                for test in tests {
                    total += 1
                    let data = test["data"] ?? .null
                    let expected = test["valid"]?.boolValue ?? false
                    let errors = schema.validate(data)
                    let fast = schema.isValid(data)
                    if errors.isEmpty == expected && fast == expected {
                        passed += 1
                    } else {
                        failures.append("\(file) / \(description) / \(test["description"]?.stringValue ?? "?"): expected \(expected ? "valid" : "invalid"), validate gave \(errors.count) error(s), isValid \(fast)")
                    }
                }
            }
            rows.append((file, passed, total))
        }
        let width = rows.map(\.0.count).max() ?? 10
        print("JSON-Schema-Test-Suite draft2020-12")
        for (file, passed, total) in rows {
            print(file.padding(toLength: width, withPad: " ", startingAt: 0) + "  \(passed)/\(total)")
        }
        let passed = rows.map(\.1).reduce(0, +), total = rows.map(\.2).reduce(0, +)
        print("TOTAL \(passed)/\(total) in \(rows.count) files; left out: \(Self.leftOut.isEmpty ? "none" : Self.leftOut.keys.sorted().joined(separator: ", "))")
        for (file, reason) in Self.optionalNotRun.sorted(by: { $0.key < $1.key }) { print("not run: \(file): \(reason)") }
        for f in failures { print("FAIL " + f) }
        #expect(failures.isEmpty, "\(failures.count) conformance failures, first: \(failures.prefix(5).joined(separator: "\n"))")
    }
}
