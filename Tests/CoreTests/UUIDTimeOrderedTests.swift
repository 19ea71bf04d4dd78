import Foundation
import RenumCore
import Testing

@Suite("UUID version 7")
struct UUIDTimeOrderedTests {
    @Test func carriesVersionVariantAndTime() {
        let now = Date(timeIntervalSince1970: 1_765_000_000.123)
        let id = UUID.timeOrdered(now: now)
        let bytes = withUnsafeBytes(of: id.uuid) { Array($0) }
        #expect(bytes[6] >> 4 == 7)
        #expect(bytes[8] >> 6 == 0b10)
        let millis = bytes[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(millis == 1_765_000_000_123)
        // The text form parses back, and it is the canonical lowercase form.
        #expect(UUID(text: id.lowercasedString) == id)
        #expect(id.lowercasedString == id.uuidString.lowercased())
    }

    @Test func laterIdsSortAfterEarlierOnes() {
        let earlier = UUID.timeOrdered(now: Date(timeIntervalSince1970: 1_765_000_000))
        let later = UUID.timeOrdered(now: Date(timeIntervalSince1970: 1_765_000_000.002))
        #expect(earlier.lowercasedString < later.lowercasedString)
    }

    @Test func idsWithinOneMillisecondDiffer() {
        let now = Date()
        let ids = Set((0..<10_000).map { _ in UUID.timeOrdered(now: now) })
        #expect(ids.count == 10_000)
    }
}
