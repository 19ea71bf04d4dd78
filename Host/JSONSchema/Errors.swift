/// Why a schema could not be compiled, and where in it the problem is.
public struct SchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// JSON Pointer into the schema document of the offending value.
    public let schemaPath: String
    /// What is wrong, in words.
    public let message: String

    /// Creates an error for the schema value at `schemaPath`.
    public init(schemaPath: String, message: String) {
        self.schemaPath = schemaPath
        self.message = message
    }

    /// "<pointer>: <message>", with "(root)" for the empty pointer.
    public var description: String { "\(schemaPath.isEmpty ? "(root)" : schemaPath): \(message)" }
}

/// One way in which an instance fails a schema.
public struct ValidationError: Sendable, Equatable, CustomStringConvertible {
    /// JSON Pointer into the instance ("" for the root), RFC 6901 escaped.
    public let instancePath: String
    /// JSON Pointer of the failing keyword in the schema document (where the keyword is
    /// written, so a failure reached through `$ref` points into the referenced definition).
    public let schemaPath: String
    /// The failing keyword, e.g. "minLength".
    public let keyword: String
    /// A readable explanation, e.g. "must be at least 3 characters long".
    public let message: String

    /// Creates a validation error.
    public init(instancePath: String, schemaPath: String, keyword: String, message: String) {
        self.instancePath = instancePath
        self.schemaPath = schemaPath
        self.keyword = keyword
        self.message = message
    }

    /// "<instance pointer> <message> (<schema pointer>)".
    public var description: String {
        "\(instancePath.isEmpty ? "(root)" : instancePath) \(message) [\(schemaPath)]"
    }
}
