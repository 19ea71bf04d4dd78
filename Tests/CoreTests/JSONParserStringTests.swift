import Foundation
import RenumCore
import Testing

@Suite struct JSONParserStringTests {
    private func parse(_ bytes: [UInt8]) -> JSONValue? { try? JSONParser.parse(bytes) }

    @Test func readsPlainEscapedAndNonASCIIStrings() {
        let cases: [(String, String)] = [
            (#""""#, ""), (#""plain""#, "plain"), (#""é 漢字 😀""#, "é 漢字 😀"), (#""\"q\" \\ \/ \b\f\n\r\t""#, "\"q\" \\ / \u{8}\u{c}\n\r\t"),
            (#""\u00e9 and é""#, "é and é"), (#""\ud83d\ude00""#, "😀"), (#""\n""#, "\n"), (#""a\u0000b""#, "a\u{0}b"),
            (#""� kept""#, "\u{FFFD} kept"),
        ]
        for (json, expected) in cases {
            #expect(parse(Array(json.utf8)) == .string(expected), "\(json)")
        }
    }

    @Test func refusesInvalidUTF8() {
        let quote = UInt8(ascii: "\"")
        for invalid: [UInt8] in [[0xC3, 0x28], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xE2, 0x82], [0x80]] {
            #expect(parse([quote] + invalid + [quote]) == nil, "\(invalid)")
            // Also after an escape, when the string is built from collected bytes.
            #expect(parse([quote, UInt8(ascii: "\\"), UInt8(ascii: "n")] + invalid + [quote]) == nil, "\(invalid)")
        }
    }
}
