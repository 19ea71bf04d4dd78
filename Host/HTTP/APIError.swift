import Foundation
import RenumCore

/// An error a handler throws to answer the client with a given status.
///
/// Rendered as the ErrorResponse body `{error, code, message, details?, timestamp}`.
/// `message` and `details` are shown to clients as they are: never put SQL, stack
/// traces or secrets in them.
public struct APIError: Error, Sendable {
    public let status: Int
    /// A stable, machine-readable code such as `NOT_FOUND` or `VALIDATION_FAILED`.
    public let code: String
    public let message: String
    public let details: JSONValue?
    /// Extra response headers (`Allow`, `Retry-After`, …).
    public let headers: [(String, String)]

    public init(status: Int, code: String, message: String, details: JSONValue? = nil, headers: [(String, String)] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers
    }

    public static func badRequest(_ message: String, code: String = "BAD_REQUEST", details: JSONValue? = nil) -> APIError {
        APIError(status: 400, code: code, message: message, details: details)
    }

    public static func unauthorized(_ message: String, code: String = "UNAUTHORIZED") -> APIError {
        APIError(status: 401, code: code, message: message, headers: [("WWW-Authenticate", "Bearer")])
    }

    public static func forbidden(_ message: String, code: String = "FORBIDDEN") -> APIError {
        APIError(status: 403, code: code, message: message)
    }

    public static func notFound(_ message: String, code: String = "NOT_FOUND") -> APIError {
        APIError(status: 404, code: code, message: message)
    }

    public static func methodNotAllowed(allowed: [HTTPMethod]) -> APIError {
        let list = allowed.map(\.rawValue).sorted().joined(separator: ", ")
        return APIError(status: 405, code: "METHOD_NOT_ALLOWED", message: "This route allows \(list).",
                        details: ["allowed": .array(allowed.map { .string($0.rawValue) }.sorted { $0.stringValue! < $1.stringValue! })],
                        headers: [("Allow", list)])
    }

    public static func conflict(_ message: String, code: String = "CONFLICT", details: JSONValue? = nil) -> APIError {
        APIError(status: 409, code: code, message: message, details: details)
    }

    public static func payloadTooLarge(limit: Int) -> APIError {
        APIError(status: 413, code: "PAYLOAD_TOO_LARGE", message: "The request body is larger than \(limit) bytes.",
                 details: ["limit_bytes": .number(Double(limit))])
    }

    public static func unsupportedMediaType(_ message: String = "Send the body as application/json.") -> APIError {
        APIError(status: 415, code: "UNSUPPORTED_MEDIA_TYPE", message: message)
    }

    /// 422 with each offending field's JSON Pointer and what is wrong with it.
    public static func validation(_ errors: [FieldError]) -> APIError {
        let fields: [JSONValue] = errors.map { ["path": .string($0.path), "message": .string($0.message)] }
        let summary = errors.count == 1 ? "\(errors[0].path): \(errors[0].message)" : "\(errors.count) fields are invalid."
        return APIError(status: 422, code: "VALIDATION_FAILED", message: summary, details: ["fields": .array(fields)])
    }

    public static func tooManyRequests(retryAfterSeconds: Int, message: String = "Too many requests.") -> APIError {
        APIError(status: 429, code: "RATE_LIMITED", message: message,
                 details: ["retry_after_seconds": .number(Double(retryAfterSeconds))],
                 headers: [("Retry-After", String(retryAfterSeconds))])
    }

    public static func `internal`(_ message: String = "The server failed to handle this request.") -> APIError {
        APIError(status: 500, code: "INTERNAL_ERROR", message: message)
    }

    public static func unavailable(_ message: String, code: String = "SERVICE_UNAVAILABLE") -> APIError {
        APIError(status: 503, code: code, message: message)
    }
}

/// One invalid field of a request body: where it is (a JSON Pointer) and what is wrong.
public struct FieldError: Sendable, Equatable {
    public let path: String
    public let message: String
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
}

/// The body of every error response.
public struct ErrorResponse: Sendable, JSONEncodable {
    public let error: String
    public let code: String
    public let message: String
    public let details: JSONValue?
    public let timestamp: String

    public init(_ apiError: APIError, at date: Date = Date()) {
        self.error = HTTPStatus.reasonPhrase(apiError.status)
        self.code = apiError.code
        self.message = apiError.message
        self.details = apiError.details
        self.timestamp = Timestamp.format(date)
    }

    public func encodeJSON(into writer: inout JSONWriter) {
        writer.object { w in
            w.field("error", error)
            w.field("code", code)
            w.field("message", message)
            if let details { w.field("details", details) }
            w.field("timestamp", timestamp)
        }
    }

}

extension Response {
    /// The ErrorResponse rendering of an API error, with its extra headers.
    public static func error(_ apiError: APIError) -> Response {
        var response = Response.json(ErrorResponse(apiError), status: apiError.status)
        for (name, value) in apiError.headers { response.headers.set(name, value) }
        return response
    }
}

/// Reason phrases for the statuses Renum sends.
public enum HTTPStatus {
    public static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 410: return "Gone"
        case 413: return "Payload Too Large"
        case 415: return "Unsupported Media Type"
        case 422: return "Unprocessable Entity"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return "Status \(status)"
        }
    }
}
