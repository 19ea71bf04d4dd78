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
