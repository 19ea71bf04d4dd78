import Foundation
import RenumCore
import RenumTestSupport
import Testing

@Suite struct Murmur3Tests {
    @Test func knownVectors() {
        #expect(Murmur3.hash32("") == 0)
        #expect(Murmur3.hash32("", seed: 1) == 0x514e_28b7)
        #expect(Murmur3.hash32("hello") == 0x248b_fa47)
        #expect(Murmur3.hash32("The quick brown fox jumps over the lazy dog") == 0x2e4f_f723)
    }

    /// Unleash's own client specification, gradual rollout by user id: every test case whose
    /// toggle is a single enabled gradualRolloutUserId strategy must bucket as Unleash does.
    @Test func bucketsLikeTheUnleashSpecification() throws {
        let file = try SharedConformance.directory(
            "conformance/unleash-client-specification/specifications/03-gradual-rollout-user-id-strategy.json", filePath: #filePath)
        let spec = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: file))
        var features: [String: (percentage: Int, group: String)] = [:]
        for feature in spec["state"]?["features"]?.arrayValue ?? [] {
            guard feature["enabled"]?.boolValue == true, let strategies = feature["strategies"]?.arrayValue, strategies.count == 1,
                  strategies[0]["name"]?.stringValue == "gradualRolloutUserId",
                  let percentage = strategies[0]["parameters"]?["percentage"]?.stringValue.flatMap({ Int($0) }),
                  let group = strategies[0]["parameters"]?["groupId"]?.stringValue,
                  let name = feature["name"]?.stringValue else { continue }
            features[name] = (percentage, group)
        }
        var checked = 0
        for test in spec["tests"]?.arrayValue ?? [] {
            guard let name = test["toggleName"]?.stringValue, let feature = features[name],
                  let user = test["context"]?["userId"]?.stringValue, let expected = test["expectedResult"]?.boolValue else { continue }
            #expect((Murmur3.bucket(group: feature.group, id: user) <= feature.percentage) == expected, "\(test["description"]?.stringValue ?? name)")
            checked += 1
        }
        #expect(checked >= 3, "the specification file held too few applicable cases: \(checked)")
    }
}
