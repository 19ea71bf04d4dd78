import Foundation
import RenumCore
import Testing

@Suite struct JSONWriterTests {
    @Test func escapesOnlyWhatJSONRequires() {
        var writer = JSONWriter()
        writer.string("a\"b\\c\nd\re\tf\u{01}g\u{1f}h/é😀")
        #expect(writer.text == #""a\"b\\c\nd\re\tf\u0001g\u001fh/é😀""#)
    }

    @Test func stringsRoundTripThroughTheParser() throws {
        let samples = ["", "plain", "\"", "\\\\", "\u{0}", "ends with escape\n", "\nstarts", "mixed \u{7} é \" 漢字 \\ end",
                       String(repeating: "long run without escapes ", count: 40) + "\t"]
        for sample in samples {
            var writer = JSONWriter()
            writer.string(sample)
            #expect(try JSONParser.parse(writer.text) == .string(sample), "\(sample.debugDescription)")
        }
    }
}
