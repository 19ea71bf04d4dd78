import Foundation
import RenumCore

extension Request {
    /// The body parsed as a JSON value, after checking its media type.
    ///
    /// 415 when the Content-Type is not JSON; 400 with where the parser stopped when the
    /// bytes are not JSON. Shape checks are the caller's, answered with 422.
    public func jsonBody() throws(APIError) -> JSONValue {
        let contentType = headers["Content-Type"]?.lowercased() ?? ""
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json")) else {
            throw APIError.unsupportedMediaType()
        }
        guard !body.isEmpty else {
            throw APIError.badRequest("The request body is empty; a JSON document is expected.", code: "MALFORMED_JSON")
        }
        do {
            return try JSONParser.parse(body)
        } catch {
            throw APIError.badRequest("The request body is not valid JSON.", code: "MALFORMED_JSON",
                                      details: ["reason": .string(Self.describe(error, in: body))])
        }
    }

    /// The body as a JSON object (422 when it is another JSON type).
    public func jsonObject() throws(APIError) -> [String: JSONValue] {
        let value = try jsonBody()
        guard case .object(let members) = value else {
            throw APIError.validation([FieldError(path: "", message: "must be a JSON object, not \(value.typeName)")])
        }
        return members
    }

    /// "<what> at line L, column C": where the document broke, without echoing its content.
    static func describe(_ error: JSONParseError, in body: [UInt8]) -> String {
        var line = 1, column = 1
        for byte in body.prefix(error.offset) {
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
        }
        return "\(error.message) at line \(line), column \(column)."
    }
}
