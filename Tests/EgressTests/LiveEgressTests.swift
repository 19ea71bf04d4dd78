import Foundation
import Testing
import RenumEgress
import RenumObservability

/// Requests over real sockets to a `CannedServer` on 127.0.0.1.
@Suite struct LiveEgressTests {
    let server: CannedServer
    let client = EgressClient(logger: .disabled)
    /// Loopback only because the server configuration says so (as tests must).
    let loopback: EgressPolicy

    init() throws {
        server = try CannedServer()
        loopback = EgressPolicy(allowedHosts: ["127.0.0.1", "localhost"], allowPrivateAddresses: true)
    }

    var base: String { "http://127.0.0.1:\(server.port)" }

    func code(_ request: EgressRequest, _ policy: EgressPolicy) -> EgressError.Code? {
        do { _ = try client.perform(request, policy: policy); return nil } catch {
            if ProcessInfo.processInfo.environment["EGRESS_DEBUG"] != nil { print("EGRESS", error) }
            return error.code
        }
    }

    func object(_ body: [UInt8]) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
    }

    @Test func getWorksWhenPrivateAddressesAreAllowed() throws {
        defer { server.stop() }
        let response = try client.perform(EgressRequest(url: "\(base)/json"), policy: loopback)
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"ok":true}"#)
        #expect(response.header("content-type") == "application/json")
        #expect(response.remoteAddress == "127.0.0.1")
        #expect(response.redirects == 0)
    }

    @Test func postEchoesMethodHeadersAndBody() throws {
        defer { server.stop() }
        let request = EgressRequest(method: "POST", url: "\(base)/echo",
                                    headers: [("Content-Type", "application/json"), ("X-Trace", "abc")],
                                    body: Array(#"{"hello":"world"}"#.utf8))
        let response = try client.perform(request, policy: loopback)
        let echo = object(response.body)
        #expect(echo["method"] as? String == "POST")
        #expect(echo["body"] as? String == #"{"hello":"world"}"#)
        let headers = echo["headers"] as? [String: String] ?? [:]
        #expect(headers["x-trace"] == "abc")
        #expect(headers["content-type"] == "application/json")
        #expect(headers["content-length"] == "17")
        #expect(headers["expect"] == nil)

        let put = try client.perform(EgressRequest(method: "PUT", url: "\(base)/echo", body: Array("x".utf8)), policy: loopback)
        #expect(object(put.body)["method"] as? String == "PUT")
        let delete = try client.perform(EgressRequest(method: "DELETE", url: "\(base)/echo"), policy: loopback)
        #expect(object(delete.body)["method"] as? String == "DELETE")
        let head = try client.perform(EgressRequest(method: "HEAD", url: "\(base)/json"), policy: loopback)
        #expect(head.status == 200 && head.body.isEmpty)
    }

    @Test func loopbackRefusedWithoutServerSetting() {
        defer { server.stop() }
        let strict = EgressPolicy(allowedHosts: ["127.0.0.1", "localhost"])
        #expect(code(EgressRequest(url: "\(base)/json"), strict) == .addressForbidden)
        #expect(code(EgressRequest(url: "http://localhost:\(server.port)/json"), strict) == .addressForbidden)
        #expect(code(EgressRequest(url: "http://[::ffff:127.0.0.1]:\(server.port)/json"),
                     EgressPolicy(allowedHosts: ["::ffff:127.0.0.1"])) == .addressForbidden)
        #expect(server.requests.isEmpty)
    }

    @Test func hostNotListedNeverConnects() {
        defer { server.stop() }
        let policy = EgressPolicy(allowedHosts: ["api.example.com", "*.example.org"], allowPrivateAddresses: true)
        #expect(code(EgressRequest(url: "\(base)/json"), policy) == .hostNotAllowed)
        #expect(code(EgressRequest(url: "http://localhost:\(server.port)/json"), policy) == .hostNotAllowed)
        #expect(server.requests.isEmpty, "the server must see no request")
    }

    @Test func redirectChainIsFollowedAndCounted() throws {
        defer { server.stop() }
        let response = try client.perform(EgressRequest(url: "\(base)/redirect/4"), policy: loopback)
        #expect(response.status == 200)
        #expect(response.redirects == 4)
        #expect(server.requests.map(\.path) == ["/redirect/4", "/redirect/3", "/redirect/2", "/redirect/1", "/redirect/0"])
    }

    @Test func tooManyRedirectsRefused() {
        defer { server.stop() }
        #expect(code(EgressRequest(url: "\(base)/redirect/6"), loopback) == .tooManyRedirects)
        var two = loopback
        two.maxRedirects = 2
        #expect(code(EgressRequest(url: "\(base)/redirect/3"), two) == .tooManyRedirects)
    }

    @Test func redirectsAreRechecked() {
        defer { server.stop() }
        // Not in the allowlist.
        #expect(code(EgressRequest(url: "\(base)/to-other"), loopback) == .hostNotAllowed)
        #expect(code(EgressRequest(url: "\(base)/to-metadata"), loopback) == .hostNotAllowed)
        // Listed, private addresses allowed: metadata is still forbidden.
        var withMetadata = loopback
        withMetadata.allowedHosts.append("169.254.169.254")
        #expect(code(EgressRequest(url: "\(base)/to-metadata"), withMetadata) == .addressForbidden)
        #expect(code(EgressRequest(url: "\(base)/to-ftp"), loopback) == .schemeNotAllowed)
        // Only localhost allowed: the first hop is fine, the redirect to 127.0.0.1 is not.
        let onlyLocalhost = EgressPolicy(allowedHosts: ["localhost"], allowPrivateAddresses: true)
        #expect(code(EgressRequest(url: "http://localhost:\(server.port)/redirect/1"), onlyLocalhost) == .hostNotAllowed)
    }

    @Test func redirectMethodRules() throws {
        defer { server.stop() }
        let post = EgressRequest(method: "POST", url: "\(base)/see-other", headers: [("Authorization", "Bearer s3cret")],
                                 body: Array("payload".utf8))
        let seeOther = object(try client.perform(post, policy: loopback).body)
        #expect(seeOther["method"] as? String == "GET")
        #expect(seeOther["body"] as? String == "")

        var temporary = post
        temporary.url = "\(base)/temporary"
        let kept = object(try client.perform(temporary, policy: loopback).body)
        #expect(kept["method"] as? String == "POST")
        #expect(kept["body"] as? String == "payload")
        #expect((kept["headers"] as? [String: String])?["authorization"] == "Bearer s3cret", "same host keeps it")

        temporary.url = "\(base)/to-localhost-echo"
        let moved = try client.perform(temporary, policy: loopback)
        let echo = object(moved.body)
        #expect(echo["method"] as? String == "POST")
        #expect(echo["body"] as? String == "payload")
        #expect((echo["headers"] as? [String: String])?["authorization"] == nil, "a host change strips Authorization")
        #expect(moved.redirects == 1)
    }

    @Test func timeout() {
        defer { server.stop() }
        let started = Date()
        #expect(code(EgressRequest(url: "\(base)/slow", timeoutMilliseconds: 300), loopback) == .timeout)
        #expect(Date().timeIntervalSince(started) < 3)
    }

    @Test func responseSizeCap() throws {
        defer { server.stop() }
        #expect(code(EgressRequest(url: "\(base)/big"), loopback) == .responseTooLarge)
        #expect(code(EgressRequest(url: "\(base)/big-unannounced"), loopback) == .responseTooLarge)
        #expect(code(EgressRequest(url: "\(base)/huge-headers"), loopback) == .responseTooLarge)
        var roomy = loopback
        roomy.maxResponseBytes = 11 << 20
        #expect(try client.perform(EgressRequest(url: "\(base)/big"), policy: roomy).body.count == 10 << 20)
    }

    @Test func connectionRefused() {
        let port = server.port
        server.stop()
        #expect(code(EgressRequest(url: "http://127.0.0.1:\(port)/json", timeoutMilliseconds: 2000), loopback) == .connectionFailed)
    }

    @Test func thirtyTwoConcurrentRequests() throws {
        defer { server.stop() }
        let results = Results()
        let group = DispatchGroup()
        for i in 0..<32 {
            group.enter()
            let client = self.client, policy = self.loopback, url = "\(base)/echo"
            Thread {
                defer { group.leave() }
                do {
                    let response = try client.perform(
                        EgressRequest(method: "POST", url: url, body: Array("request \(i)".utf8)), policy: policy)
                    let body = String(decoding: response.body, as: UTF8.self)
                    results.add(status: body.contains("request \(i)\"") ? response.status : -1)
                } catch {
                    results.add(failure: "\(error)")
                }
            }.start()
        }
        #expect(group.wait(timeout: .now() + 30) == .success)
        #expect(results.failures.isEmpty, "\(results.failures)")
        #expect(results.statuses == Array(repeating: 200, count: 32))
    }

    @Test func logsCarryNoHeadersOrBodies() throws {
        defer { server.stop() }
        let sink = CapturingSink()
        let client = EgressClient(logger: Logger(label: "egress", sink: sink, minimumLevel: .debug))
        _ = try client.perform(EgressRequest(method: "POST", url: "\(base)/echo", headers: [("Authorization", "Bearer topsecret")],
                                             body: Array("bodysecret".utf8)), policy: loopback)
        let records = sink.records
        #expect(records.count == 1)
        let text = records.map { "\($0.message) \($0.metadata)" }.joined()
        #expect(text.contains("127.0.0.1") && text.contains("POST") && text.contains("200"))
        #expect(!text.contains("topsecret") && !text.contains("bodysecret"))
    }
}

final class CapturingSink: LogSink, @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [LogRecord] = []
    func write(_ record: LogRecord) { lock.lock(); stored.append(record); lock.unlock() }
    var records: [LogRecord] { lock.lock(); defer { lock.unlock() }; return stored }
}

/// Outcomes gathered from many threads.
final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var storedStatuses: [Int] = []
    private var storedFailures: [String] = []
    func add(status: Int) { lock.lock(); storedStatuses.append(status); lock.unlock() }
    func add(failure: String) { lock.lock(); storedFailures.append(failure); lock.unlock() }
    var statuses: [Int] { lock.lock(); defer { lock.unlock() }; return storedStatuses }
    var failures: [String] { lock.lock(); defer { lock.unlock() }; return storedFailures }
}
