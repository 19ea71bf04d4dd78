import Foundation
import RenumApp
import RenumCore
import RenumObservability
import RenumSecurity
import RenumTestSupport

/// A real Renum server on a free loopback port, over a fresh data dir.
final class TestServer: Sendable {
    static let secret = "test-secret-0123456789abcdef0123456789abcdef"
    let server: RenumServer
    let directory: TemporaryDirectory
    let client: TestHTTPClient
    let logs = MemoryLogSink()
    let issuer = JWTIssuer(JWTConfiguration(secret: Array(TestServer.secret.utf8)))

    init(directory: TemporaryDirectory = TemporaryDirectory(), configure: (inout ServerConfiguration) -> Void = { _ in }) async throws {
        self.directory = directory
        var configuration = ServerConfiguration()
        configuration.http.port = 0
        configuration.dataDirectory = directory.path
        configuration.jwtSecret = Array(Self.secret.utf8)
        configuration.logLevel = .debug
        // Tests talk to fake upstreams on loopback; production never allows it by default.
        configuration.egressAllowPrivateNetwork = true
        configuration.executablePath = try RenumProcess.executablePath()
        configure(&configuration)
        server = try RenumServer(configuration: configuration, logSink: logs)
        try await server.start()
        client = TestHTTPClient(port: server.port)
    }

    /// A token for a (new, by default) user.
    func token(for user: UUID = UUID(), admin: Bool = false, extraClaims: [String: JSONValue] = [:]) -> String {
        issuer.mint(subject: user, admin: admin, extraClaims: extraClaims)
    }

    func stop(removingData: Bool = true) async {
        await server.shutdown()
        if removingData { directory.remove() }
    }
}
