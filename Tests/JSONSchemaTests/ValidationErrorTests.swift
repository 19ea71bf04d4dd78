import RenumCore
import RenumJSONSchema
import Testing

/// Error reports: where in the instance, which keyword where in the schema, and what it says.
@Suite struct ValidationErrorTests {
    let schema: JSONSchema

    init() throws {
        schema = try JSONSchema([
            "type": "object",
            "required": ["name", "kind"],
            "properties": [
                "name": ["type": "string", "minLength": 3],
                "kind": ["enum": ["a", "b"]],
                "tags": ["type": "array", "items": ["$ref": "#/$defs/tag"]],
                "a/b~c": ["type": "integer"],
            ],
            "additionalProperties": false,
            "$defs": ["tag": ["type": "string", "maxLength": 2]],
        ])
    }

    @Test func validInstanceHasNoErrors() {
        let ok: JSONValue = ["name": "renum", "kind": "a", "tags": ["x"], "a/b~c": 1.0]
        #expect(schema.validate(ok).isEmpty)
        #expect(schema.isValid(ok))
    }

    @Test func collectsEveryError() {
        let bad: JSONValue = ["name": "ab", "tags": ["ok", "long"], "extra": true]
        let errors = schema.validate(bad)
        #expect(!schema.isValid(bad))
        #expect(errors.contains(ValidationError(instancePath: "", schemaPath: "/required", keyword: "required",
                                                message: "required property 'kind' is missing")))
        #expect(errors.contains(ValidationError(instancePath: "/name", schemaPath: "/properties/name/minLength",
                                                keyword: "minLength", message: "must be at least 3 characters long")))
        #expect(errors.contains { $0.instancePath == "/tags/1" && $0.schemaPath == "/$defs/tag/maxLength" })
        #expect(errors.contains { $0.instancePath == "/extra" && $0.keyword == "false" })
        #expect(errors.count == 4)
    }

    @Test func enumMessageListsValues() {
        let errors = schema.validate(["name": "abc", "kind": "c"])
        #expect(errors == [ValidationError(instancePath: "/kind", schemaPath: "/properties/kind/enum", keyword: "enum",
                                           message: "is not one of [\"a\",\"b\"]")])
    }

    @Test func pointerEscaping() {
        let errors = schema.validate(["name": "abc", "kind": "a", "a/b~c": 1.5])
        #expect(errors.map(\.instancePath) == ["/a~1b~0c"])
        #expect(errors.map(\.schemaPath) == ["/properties/a~1b~0c/type"])
        #expect(errors.first?.message == "must be integer, not number")
    }

    @Test func lengthsCountCodePoints() throws {
        let s = try JSONSchema(["maxLength": 2])
        #expect(s.isValid("💩💩"))  // 4 UTF-16 units, 2 code points
        #expect(!s.isValid("💩💩💩"))
    }

    @Test func multipleOfToleratesBinaryFractions() throws {
        let s = try JSONSchema(["multipleOf": 0.0001])
        #expect(s.isValid(0.0075))
        #expect(!s.isValid(0.00751))
    }

    @Test func formatIsAsserted() throws {
        let s = try JSONSchema(["format": "email"])
        #expect(s.isValid("joe@example.com"))
        #expect(s.validate("nope").map(\.message) == ["is not a valid email"])
        #expect(try JSONSchema(["format": "email"], resources: [:], assertFormat: false).isValid("nope"))
    }

    @Test func refCycleIsReportedNotFatal() throws {
        let s = try JSONSchema(["$ref": "#"])
        #expect(!s.isValid(1))
    }

    @Test func parsesData() throws {
        let s = try JSONSchema(data: Array(#"{"type": "string"}"#.utf8))
        #expect(s.isValid("x"))
        #expect(!s.isValid(1))
    }
}
