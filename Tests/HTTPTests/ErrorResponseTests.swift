import Foundation
import RenumCore
import Testing
@testable import RenumHTTP

@Suite struct ErrorResponseTests {
    @Test(arguments: [
        (APIError.badRequest("x"), 400), (APIError.unauthorized("x"), 401), (APIError.forbidden("x"), 403),
        (APIError.notFound("x"), 404), (APIError.methodNotAllowed(allowed: [.get]), 405), (APIError.conflict("x"), 409),
        (APIError.payloadTooLarge(limit: 10), 413), (APIError.unsupportedMediaType(), 415),
        (APIError.validation([FieldError(path: "/a", message: "is required")]), 422),
        (APIError.tooManyRequests(retryAfterSeconds: 3), 429), (APIError.internal(), 500), (APIError.unavailable("x"), 503),
    ])
    func everyStatusRendersTheSameShape(error: APIError, status: Int) throws {
        let response = Response.error(error)
        #expect(response.status == status)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        #expect(json["error"] as? String == HTTPStatus.reasonPhrase(status))
        #expect(json["code"] as? String == error.code)
        #expect(json["message"] as? String == error.message)
        #expect(Timestamp.parse(json["timestamp"] as? String ?? "") != nil)
        #expect(Set(json.keys).isSubset(of: ["error", "code", "message", "details", "timestamp"]))
    }

    @Test func rateLimitCarriesRetryAfter() {
        #expect(Response.error(.tooManyRequests(retryAfterSeconds: 7)).headers["Retry-After"] == "7")
    }
}
