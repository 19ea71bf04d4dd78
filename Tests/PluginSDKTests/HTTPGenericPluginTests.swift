import Foundation
import Testing
@testable import RenumPluginSDK

/// sa-http-generic as built (the .so), driven through the SDK's fake host. The end-to-end test
/// against a real HTTP server through the host's egress is in AppTests.
@Suite struct HTTPGenericPluginTests {
    @Test func embeddedManifestIsTheBundledFile() throws {
        let plugin = try FakeHost().load(libraryAt: try builtPlugin(named: "sa-http-generic").path)
        let file = try String(contentsOf: repositoryRoot.appendingPathComponent("manifests/sa-http-generic.json"), encoding: .utf8)
        #expect(plugin.manifest == file, "run scripts/embed-manifest.py after editing manifests/sa-http-generic.json")
    }

    @Test func sendsJSONAndParsesJSONBack() throws {
        let host = FakeHost(http: { request in
            #expect(request.method == "POST")
            #expect(request.url == "https://hooks.zapier.com/hooks/catch/1/abc/")
            #expect(request.headers["Content-Type"] == "application/json")
            #expect(request.body == #"{"lead":"ada"}"#)
            return HTTPResponse(status: 200, headers: ["content-type": "application/json"], body: #"{"status":"success"}"#)
        })
        let plugin = try host.load(libraryAt: try builtPlugin(named: "sa-http-generic").path)
        let output = try plugin.invoke("http_request", json: #"{"method":"POST","url":"https://hooks.zapier.com/hooks/catch/1/abc/","json":{"lead":"ada"}}"#).get()
        let parsed = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        #expect(parsed?["status"] as? Int == 200)
        #expect((parsed?["json"] as? [String: Any])?["status"] as? String == "success")
        #expect(host.meters.map(\.unit) == ["http_request"])
    }

    @Test func theHostsRefusalKeepsItsCode() throws {
        let host = FakeHost(http: { _ in throw HostError(result: .denied, code: "EGRESS_HOST_NOT_ALLOWED", message: "not allowed") })
        let plugin = try host.load(libraryAt: try builtPlugin(named: "sa-http-generic").path)
        let result = plugin.invoke("http_request", json: #"{"url":"http://169.254.169.254/latest/meta-data/"}"#)
        #expect(result.failure?.code == "EGRESS_HOST_NOT_ALLOWED")
    }
}
