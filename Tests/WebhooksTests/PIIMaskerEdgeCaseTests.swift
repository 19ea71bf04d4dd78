import RenumCore
import Testing
@testable import RenumWebhooks

/// The masking rules spelled out on edge cases, and the API added for the hot path.
@Suite struct PIIMaskerEdgeCaseTests {
    let masker = PIIMasker()

    func written(_ value: JSONValue) -> String {
        var writer = JSONWriter()
        masker.writeMasked(value, to: &writer)
        return writer.text
    }

    @Test func writeMaskedWritesIntoAnOpenWriter() throws {
        var writer = JSONWriter()
        writer.object { object in
            object.field("request_id", "r1")
            object.key("payload")
            masker.writeMasked(["wa_id": "5511987654321", "b": [1, "x"]], to: &object)
            object.field("after", true)
        }
        #expect(writer.text == #"{"request_id":"r1","payload":{"b":[1,"x"],"wa_id":"55*******4321"},"after":true}"#)
    }

    @Test func keysComeOutSortedWhateverTheObjectSize() {
        #expect(written([:]) == "{}")
        #expect(written(["b": 1]) == #"{"b":1}"#)
        #expect(written(["b": 1, "a": 2]) == #"{"a":2,"b":1}"#)
        #expect(written(["c": 1, "a": 2, "b": 3, "B": 4, "é": 5, "e": 6]) == #"{"B":4,"a":2,"b":3,"c":1,"e":6,"é":5}"#)
    }

    @Test func secretsAreRedactedWholeButNullStaysNull() {
        #expect(written(["token": nil, "secret": [1, 2], "api-key": ["k": "v"], "Password": 7])
            == #"{"Password":"[REDACTED]","api-key":"[REDACTED]","secret":"[REDACTED]","token":null}"#)
    }

    @Test func personalValuesKeepAHintAtAnyDepth() {
        #expect(written(["wa_id": 5_511_987_654_321]) == #"{"wa_id":"55*******4321"}"#)
        #expect(written(["profile": ["name": "Joana", "n": 42, "ok": true]]) == #"{"profile":{"n":"[REDACTED]","name":"[REDACTED]","ok":true}}"#)
        #expect(written(["to": ["+5511987654321", "ana@example.com"]]) == #"{"to":["+55*******4321","a***@example.com"]}"#)
        #expect(written(["email": "élise@example.com"]) == #"{"email":"é***@example.com"}"#)
    }

    @Test func timestampsKeepTheirDigits() {
        #expect(written(["timestamp": "1733340000", "date": ["1733340200"], "time": ""]) == #"{"date":["1733340200"],"time":"","timestamp":"1733340000"}"#)
        // Not all digits: masked as free text like any other string.
        #expect(written(["timestamp": "at 5511987654321"]) == #"{"timestamp":"at 55*******4321"}"#)
    }

    @Test func nonASCIITextEndsNumbersAndAddresses() {
        #expect(masker.maskText("maçã5511987654321çã") == "maçã55*******4321çã")
        #expect(masker.maskText("ação5511987654321") == "ação5511987654321", "glued to the ASCII letter o")
        #expect(masker.maskText("Olá, maria.silva@exemplo.com.br!") == "Olá, m***@exemplo.com.br!")
        #expect(masker.maskText("joão.silva@exemplo.com.br") == "joão***@exemplo.com.br", "the local part stops at ã")
        #expect(masker.maskText("então@exemplo.com") == "então***@exemplo.com", "the local part stops at ã")
        #expect(masker.maskText("😀+5511987654321😀") == "😀+55*******4321😀")
        #expect(masker.maskText("1234567\u{301}") == "12*4567\u{301}")
    }

    @Test func decimalsIdsAndTrailingDots() {
        #expect(masker.maskText("total 1234567.89") == "total 1234567.89")
        // A dot is not a boundary: a number ending a sentence is not masked (as before).
        #expect(masker.maskText("call 5511987654321.") == "call 5511987654321.")
        #expect(masker.maskText("call 5511987654321!") == "call 55*******4321!")
        #expect(masker.maskText("mail a@b.io.") == "mail a***@b.io.")
        #expect(masker.maskText("id abc12345678 and wamid.HBgL1234567890") == "id abc12345678 and wamid.HBgL1234567890")
        #expect(masker.maskText("1 2 3 4 5 6 7") == "12*4567")
    }

    @Test func textWithNothingToMaskIsReturnedAsItIs() {
        let text = "Olá, gostaria de saber o horário de funcionamento da loja no sábado."
        let masked = masker.maskText(text)
        #expect(masked == text)
        // The same storage, not a copy.
        let original = text.utf8.withContiguousStorageIfAvailable { $0.baseAddress }
        #expect(original != nil && masked.utf8.withContiguousStorageIfAvailable { $0.baseAddress } == original)
    }

    @Test func bodiesJSONParserRefusesAreLoggedAsMaskedText() {
        #expect(masker.maskedPayloadJSON(Array(#"{"a":1,"a":"5511987654321"}"#.utf8)) == #""{\"a\":1,\"a\":\"55*******4321\"}""#)
        #expect(masker.maskedPayloadJSON(Array("not json a@b.io".utf8)) == #""not json a***@b.io""#)
        #expect(masker.maskedPayloadJSON([]) == #""""#)
    }

    @Test func parsingForNormalizationRefusesDuplicateKeys() {
        #expect(throws: NormalizationError.malformedJSON) { try JSONValue.parse(Array(#"{"id":1,"id":2}"#.utf8)) }
        #expect(throws: NormalizationError.malformedJSON) { try JSONValue.parse(Array("{".utf8)) }
        #expect((try? JSONValue.parse(Array(#" {"id":1} "#.utf8))) == ["id": 1])
    }

    @Test func headerNamesAreLowercasedAndRepeatsJoinedInArrivalOrder() {
        let headers = WebhookHeaders([(name: "X-B", value: "1"), (name: "x-a", value: "2"), (name: "x-b", value: "3"),
                                      (name: "X-Api-Key", value: "k"), (name: "X-B", value: "a@b.io")])
        #expect(masker.maskedHeadersJSON(headers) == #"{"x-a":"2","x-api-key":"[REDACTED]","x-b":"1, 3, a***@b.io"}"#)
    }
}
