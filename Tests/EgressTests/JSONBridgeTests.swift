import Foundation
import Testing
import RenumEgress

@Suite struct JSONBridgeTests {
    @Test func parsesTheABIRequest() throws {
        let json = #"{"method":"POST","url":"https://api.example.com/x","headers":{"X-A":"1","Content-Type":"text/plain"},"body":"héllo","timeout_ms":5000}"#
        let request = try EgressRequest(json: Array(json.utf8))
        #expect(request.method == "POST")
        #expect(request.url == "https://api.example.com/x")
        #expect(request.headers.map { "\($0.0)=\($0.1)" } == ["Content-Type=text/plain", "X-A=1"])
        #expect(request.body == Array("héllo".utf8))
        #expect(request.timeoutMilliseconds == 5000)

        let minimal = try EgressRequest(json: Array(#"{"url":"https://a.example.com/"}"#.utf8))
        #expect(minimal.method == "GET" && minimal.body.isEmpty && minimal.headers.isEmpty)
        #expect(minimal.timeoutMilliseconds == EgressRequest.defaultTimeoutMilliseconds)

        let binary = try EgressRequest(json: Array(#"{"url":"https://a.example.com/","body_base64":"//4AAQ=="}"#.utf8))
        #expect(binary.body == [0xff, 0xfe, 0x00, 0x01])
        let capped = try EgressRequest(json: Array(#"{"url":"https://a.example.com/","timeout_ms":999999}"#.utf8))
        #expect(capped.timeoutMilliseconds == EgressRequest.maxTimeoutMilliseconds)
    }

    @Test func rejectsBadRequests() {
        let bad = [
            "", "not json", "[]", "\"x\"", "{}", #"{"url":1}"#, #"{"url":"https://a/","extra":1}"#,
            #"{"url":"https://a/","headers":[]}"#, #"{"url":"https://a/","headers":{"A":1}}"#,
            #"{"url":"https://a/","body":"x","body_base64":"eA=="}"#, #"{"url":"https://a/","body_base64":"***"}"#,
            #"{"url":"https://a/","timeout_ms":0}"#, #"{"url":"https://a/","timeout_ms":1.5}"#,
            #"{"url":"https://a/","timeout_ms":"5"}"#, #"{"url":"https://a/","method":5}"#, #"{"url":"https://a/""#,
        ]
        for text in bad {
            do {
                _ = try EgressRequest(json: Array(text.utf8))
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.code == .invalidRequest, "\(text)")
            }
        }
    }

    @Test func writesTheABIResponse() throws {
        let text = EgressResponse(status: 201, headers: [("Content-Type", "application/json"), ("Set-Cookie", "a=1"), ("set-cookie", "b=2")],
                                  body: Array(#"{"x":"é\n"}"#.utf8), remoteAddress: "1.2.3.4", redirects: 0)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.json())) as? [String: Any])
        #expect(parsed["status"] as? Int == 201)
        #expect(parsed["body"] as? String == #"{"x":"é\n"}"#)
        #expect(parsed["body_base64"] == nil)
        let headers = try #require(parsed["headers"] as? [String: String])
        #expect(headers == ["content-type": "application/json", "set-cookie": "a=1, b=2"])

        let binary = EgressResponse(status: 200, headers: [], body: [0xff, 0xfe, 0x00, 0x01], remoteAddress: "", redirects: 0)
        let parsedBinary = try #require(try JSONSerialization.jsonObject(with: Data(binary.json())) as? [String: Any])
        #expect(parsedBinary["body"] == nil)
        #expect(parsedBinary["body_base64"] as? String == "//4AAQ==")
    }

    @Test func roundTripThroughTheClient() throws {
        let server = try CannedServer()
        defer { server.stop() }
        let json = #"{"method":"PATCH","url":"http://127.0.0.1:\#(server.port)/echo","headers":{"X-Round":"trip"},"body":"data","timeout_ms":5000}"#
        let request = try EgressRequest(json: Array(json.utf8))
        let response = try EgressClient(logger: .disabled)
            .perform(request, policy: EgressPolicy(allowedHosts: ["127.0.0.1"], allowPrivateAddresses: true))
        let outer = try #require(try JSONSerialization.jsonObject(with: Data(response.json())) as? [String: Any])
        #expect(outer["status"] as? Int == 200)
        let echoText = try #require(outer["body"] as? String)
        let echo = try #require(try JSONSerialization.jsonObject(with: Data(echoText.utf8)) as? [String: Any])
        #expect(echo["method"] as? String == "PATCH")
        #expect(echo["body"] as? String == "data")
        #expect((echo["headers"] as? [String: String])?["x-round"] == "trip")
    }
}
