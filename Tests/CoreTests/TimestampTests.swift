import Foundation
import Testing
@testable import RenumCore

@Suite struct TimestampTests {
    @Test func formatsUTCWithMilliseconds() {
        let date = Date(timeIntervalSince1970: 1_614_265_330.25)
        #expect(Timestamp.format(date) == "2021-02-25T15:02:10.250Z")
    }

    @Test func parsesWhatItFormats() throws {
        let date = Date(timeIntervalSince1970: 1_700_000_000.5)
        let parsed = try #require(Timestamp.parse(Timestamp.format(date)))
        #expect(abs(parsed.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.001)
        #expect(Timestamp.parse("2024-01-02T03:04:05Z") != nil)
        #expect(Timestamp.parse("2024-01-02T03:04:05+02:00") != nil)
        #expect(Timestamp.parse("yesterday") == nil)
    }

    @Test func jsonValueRoundTripsAndKeepsIntegersWhole() throws {
        let value: JSONValue = ["a": 1, "b": [true, nil, "x"], "c": 1.5]
        let data = try JSONEncoder().encode(value)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"a\":1"))
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
        #expect(JSONValue.number(3).typeName == "integer")
        #expect(JSONValue.number(3.5).typeName == "number")
    }
}

@Suite struct FastTextTests {
    @Test func uuidTextMatchesFoundation() {
        for _ in 0..<200 {
            let id = UUID()
            #expect(id.lowercasedString == id.uuidString.lowercased())
            #expect(UUID(text: id.uuidString) == id)
            #expect(UUID(text: id.lowercasedString) == id)
        }
        #expect(UUID(text: "not-a-uuid") == nil)
        #expect(UUID(text: "6f1c1a34-3f34-4f0e-9a55-3f2f1d7c2b1") == nil)
        #expect(UUID(text: "6f1c1a34-3f34-4f0e-9a55-3f2f1d7c2b111") == nil)
        #expect(UUID(text: "6f1c1a34x3f34-4f0e-9a55-3f2f1d7c2b11") == nil)
        #expect(UUID(text: "6f1c1a34-3f34-4f0e-9a55-3f2f1d7c2bzz") == nil)
    }

    @Test func timestampMatchesTheSlowFormatter() {
        for seconds in [0.0, 1_614_265_330.999, 1_700_000_000.001, 4_102_444_799.5] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(Timestamp.parse(Timestamp.format(date)).map { abs($0.timeIntervalSince1970 - seconds) < 0.001 } == true)
        }
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
    }

    @Test func writerEscapesAndSeparates() throws {
        var writer = JSONWriter()
        writer.object { w in
            w.field("a", "q\"uote\\ \n\u{01} é")
            w.field("b", 3)
            w.key("c"); w.array([1.5, 2, .infinity]) { $0.double($1) }
            w.field("d", nil as String?)
            w.key("e"); w.raw("{\"x\":1}")
            w.field("f", ["z": 1, "y": [true, nil]] as JSONValue)
        }
        #expect(writer.text == #"{"a":"q\"uote\\ \n\u0001 é","b":3,"c":[1.5,2,null],"d":null,"e":{"x":1},"f":{"y":[true,null],"z":1}}"#)
        let parsed = try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [String: Any]
        #expect(parsed?["a"] as? String == "q\"uote\\ \n\u{01} é")
    }
}
