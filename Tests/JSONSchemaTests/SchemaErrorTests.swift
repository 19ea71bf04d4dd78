import RenumCore
import RenumJSONSchema
import Testing

/// Invalid schemas are refused at compile time, with the pointer of the offending value.
@Suite struct SchemaErrorTests {
    func error(_ schema: JSONValue) -> SchemaError? {
        do {
            _ = try JSONSchema(schema)
            return nil
        } catch {
            return error
        }
    }

    @Test func badType() { #expect(error(["type": 5])?.schemaPath == "/type") }
    @Test func unknownTypeName() { #expect(error(["type": ["string", "text"]])?.schemaPath == "/type") }
    @Test func negativeLength() { #expect(error(["minLength": -1])?.schemaPath == "/minLength") }
    @Test func fractionalCount() { #expect(error(["maxItems": 1.5])?.schemaPath == "/maxItems") }
    @Test func badPattern() {
        let e = error(["properties": ["x": ["pattern": "("]]])
        #expect(e?.schemaPath == "/properties/x/pattern")
        #expect(e?.message.contains("regular expression") == true)
    }
    @Test func badPatternPropertiesKey() { #expect(error(["patternProperties": ["[": true]])?.schemaPath == "/patternProperties") }
    @Test func missingRef() {
        let e = error(["$ref": "#/$defs/missing"])
        #expect(e?.schemaPath == "/$ref")
        #expect(e?.message == "cannot resolve reference '#/$defs/missing'")
    }
    @Test func missingAnchor() { #expect(error(["items": ["$ref": "#nowhere"]])?.schemaPath == "/items/$ref") }
    @Test func remoteRefWithoutResource() { #expect(error(["$ref": "https://example.com/x.json"])?.schemaPath == "/$ref") }
    @Test func notASchema() { #expect(error(["items": 3])?.schemaPath == "/items") }
    @Test func emptyAllOf() { #expect(error(["allOf": []])?.schemaPath == "/allOf") }
    @Test func zeroMultipleOf() { #expect(error(["multipleOf": 0])?.schemaPath == "/multipleOf") }
    @Test func errorInUnusedDefinition() { #expect(error(["$defs": ["a": ["minimum": "1"]]])?.schemaPath == "/$defs/a/minimum") }
    @Test func requiredNotStrings() { #expect(error(["required": ["a", 1]])?.schemaPath == "/required") }

    @Test func refsResolve() throws {
        let s = try JSONSchema([
            "$defs": ["a/b": ["type": "integer"], "c%d": ["type": "string"], "n": ["$anchor": "num", "minimum": 0]],
            "properties": [
                "x": ["$ref": "#/$defs/a~1b"],
                "y": ["$ref": "#/$defs/c%25d"],
                "z": ["$ref": "#num"],
            ],
        ])
        #expect(s.isValid(["x": 1, "y": "s", "z": 2]))
        #expect(!s.isValid(["x": "1"]))
        #expect(!s.isValid(["y": 1]))
        #expect(!s.isValid(["z": -1]))
    }

    @Test func recursiveRefTerminates() throws {
        let s = try JSONSchema([
            "type": "object",
            "properties": ["child": ["$ref": "#"], "v": ["type": "integer"]],
        ])
        #expect(s.isValid(["child": ["child": ["v": 1]]]))
        #expect(s.validate(["child": ["child": ["v": "x"]]]).map(\.instancePath) == ["/child/child/v"])
    }
}

/// References to the draft 2020-12 meta-schema resolve offline through the bundled copy.
@Test func metaSchemaReference() throws {
    let s = try JSONSchema(["$ref": "https://json-schema.org/draft/2020-12/schema"])
    #expect(s.isValid(["type": "string", "minLength": 1]))
    #expect(!s.isValid(["minLength": -1]))
    #expect(!s.isValid(["type": "text"]))
}
