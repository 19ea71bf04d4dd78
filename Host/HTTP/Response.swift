import Foundation
import RenumCore

/// An HTTP response: status, headers and the whole body.
public struct Response: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON body written directly (no Codable): the fast path for hot routes.
    public static func json(_ value: some JSONEncodable, status: Int = 200) -> Response {
        var writer = JSONWriter()
        writer.encode(value)
        var headers = HTTPHeaders()
        headers.set("Content-Type", "application/json")
        return Response(status: status, headers: headers, body: writer.bytes)
    }

    /// A plain-text (or other textual) body.
    public static func text(_ text: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8") -> Response {
        var headers = HTTPHeaders()
        headers.set("Content-Type", contentType)
        return Response(status: status, headers: headers, body: Array(text.utf8))
    }

    /// 204 with no body.
    public static let noContent = Response(status: 204)
}
