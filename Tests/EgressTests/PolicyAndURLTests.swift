import Testing
@testable import RenumEgress
import RenumObservability

@Suite struct PolicyAndURLTests {
    @Test func exactAndWildcardHosts() {
        let policy = EgressPolicy(allowedHosts: ["api.telegram.org", "*.example.com", "10.1.2.3", "[::1]"])
        #expect(policy.allowsHost("api.telegram.org"))
        #expect(policy.allowsHost("API.Telegram.ORG"))
        #expect(!policy.allowsHost("telegram.org"))
        #expect(!policy.allowsHost("evil-api.telegram.org"))
        #expect(!policy.allowsHost("api.telegram.org.evil.com"))
        #expect(policy.allowsHost("sub.example.com"))
        #expect(policy.allowsHost("a.b.example.com"))
        #expect(policy.allowsHost("SUB.Example.Com"))
        #expect(!policy.allowsHost("example.com"))
        #expect(!policy.allowsHost("badexample.com"))
        #expect(!policy.allowsHost("example.com.evil.net"))
        #expect(policy.allowsHost("10.1.2.3"))
        #expect(!policy.allowsHost("10.1.2.4"))
        #expect(policy.allowsHost("::1"))
        #expect(!EgressPolicy(allowedHosts: ["*.1.2.3"]).allowsHost("10.1.2.3"), "wildcards never match IP literals")
        #expect(!EgressPolicy(allowedHosts: []).allowsHost("example.com"))
        #expect(EgressPolicy(allowedHosts: ["*"]).allowsHost("anything.example.net"))
        #expect(!EgressPolicy(allowedHosts: ["*"]).allowsHost("127.0.0.1"), "* never matches IP literals")
        #expect(!EgressPolicy(allowedHosts: ["*"]).allowsHost("::1"))
    }

    @Test func strictURLParsing() throws {
        let url = try EgressURL("HTTPS://API.Example.com:8443/a/b?c=d#frag")
        #expect(url.scheme == "https" && url.host == "api.example.com" && url.port == 8443 && url.pathAndQuery == "/a/b?c=d")
        #expect(try EgressURL("http://example.com").pathAndQuery == "/")
        #expect(try EgressURL("http://example.com?x=1").pathAndQuery == "/?x=1")
        #expect(try EgressURL("http://[::1]:8080/").literal == IPAddress("::1"))
        #expect(try EgressURL("http://example.com").port == 80)
        for bad in ["http://user:pass@example.com/", "http://user@example.com/", "http://exa mple.com/", "http://example.com/a b",
                    "http://127.1/", "http://2130706433/", "http://0x7f.0.0.1/", "http://ex%61mple.com/", "http://example.com:0/",
                    "http://example.com:65536/", "http://example.com:/", "http://[::1/", "http://[127.0.0.1]/", "http://[fe80::1%25eth0]/",
                    "example.com/path", "http:/example.com", "http://exa..mple.com/", "http://bücher.de/", "http://example.com\\@evil.com/",
                    "http:///path", "1http://example.com/"] {
            #expect(throws: EgressError.self, "\(bad)") { try EgressURL(bad) }
        }
    }

    @Test func redirectLocationsResolve() throws {
        let base = try EgressURL("https://a.example.com/dir/page?q=1")
        #expect(try base.resolving("/x").text == "https://a.example.com:443/x")
        #expect(try base.resolving("other").text == "https://a.example.com:443/dir/other")
        #expect(try base.resolving("?z=2").text == "https://a.example.com:443/dir/page?z=2")
        #expect(try base.resolving("//b.example.com/y").text == "https://b.example.com:443/y")
        #expect(try base.resolving("http://c.example.com:81/").text == "http://c.example.com:81/")
        #expect(try base.resolving("/p?next=http://x").pathAndQuery == "/p?next=http://x")
    }

    @Test func refusedBeforeAnyNetworkWork() {
        let client = EgressClient(logger: .disabled)
        let policy = EgressPolicy(allowedHosts: ["example.com"])
        func code(_ url: String, _ policy: EgressPolicy = policy, method: String = "GET",
                  headers: [(String, String)] = []) -> EgressError.Code? {
            do {
                _ = try client.perform(EgressRequest(method: method, url: url, headers: headers), policy: policy)
                return nil
            } catch { return error.code }
        }
        #expect(code("ftp://example.com/file") == .schemeNotAllowed)
        #expect(code("file:///etc/passwd") == .invalidRequest)
        #expect(code("gopher://example.com/") == .schemeNotAllowed)
        #expect(code("http://example.com/", EgressPolicy(allowedHosts: ["example.com"], allowedSchemes: ["https"])) == .schemeNotAllowed)
        #expect(code("https://user:secret@example.com/") == .invalidRequest)
        #expect(code("https://other.com/") == .hostNotAllowed)
        #expect(code("https://example.com/", method: "get") == .invalidRequest)
        #expect(code("https://example.com/", method: "CONNECT") == .invalidRequest)
        #expect(code("https://example.com/", headers: [("X-A", "1\r\nX-Injected: 2")]) == .invalidRequest)
        #expect(code("https://example.com/", headers: [("Host", "evil.com")]) == .invalidRequest)
        #expect(code("https://example.com/", headers: [("Bad Name", "1")]) == .invalidRequest)
    }

    @Test func metadataRefusedUnderEveryPolicy() {
        let client = EgressClient(logger: .disabled)
        let url = "http://169.254.169.254/latest/meta-data/"
        let policies = [
            EgressPolicy(allowedHosts: ["example.com"]),
            EgressPolicy(allowedHosts: ["example.com"], allowPrivateAddresses: true),
            EgressPolicy(allowedHosts: ["169.254.169.254"]),
            EgressPolicy(allowedHosts: ["169.254.169.254"], allowPrivateAddresses: true),
        ]
        let expected: [EgressError.Code] = [.hostNotAllowed, .hostNotAllowed, .addressForbidden, .addressForbidden]
        for (policy, code) in zip(policies, expected) {
            do {
                _ = try client.perform(EgressRequest(url: url, timeoutMilliseconds: 1000), policy: policy)
                Issue.record("metadata request succeeded")
            } catch {
                #expect(error.code == code)
            }
        }
        // Also through IPv6 forms.
        for url in ["http://[fd00:ec2::254]/", "http://[::ffff:169.254.169.254]/"] {
            let policy = EgressPolicy(allowedHosts: ["fd00:ec2::254", "::ffff:169.254.169.254"], allowPrivateAddresses: true)
            #expect(throws: EgressError.self) { try client.perform(EgressRequest(url: url), policy: policy) }
            do { _ = try client.perform(EgressRequest(url: url), policy: policy) } catch { #expect(error.code == .addressForbidden) }
        }
    }
}
