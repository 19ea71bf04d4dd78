import Dispatch
import Foundation

/// `renum serve`: runs the server until SIGTERM or SIGINT, then shuts down gracefully.
enum ServeCommand {
    static let help = """
    Usage: renum serve [options]

    Serves the HTTP API on libmicrohttpd with SQLite in the data dir.
    Flags override environment variables, which override defaults.

    Required environment:
      RENUM_JWT_SECRET                   HS256 secret used to verify bearer tokens (your Supabase
                                         project's JWT secret); at least 32 bytes. Environment only,
                                         so that it never shows in the process list.
    Options:
    \(ParsedOptions.help(for: ServeOptions.specs))

    Signals: SIGTERM or SIGINT stops accepting connections, lets requests in flight finish,
    flushes the database writer and exits 0.
    """

    static func run(arguments: [String], environment: [String: String]) async -> Int32 {
        let configuration: ServerConfiguration
        do {
            configuration = try ServeOptions.configuration(arguments: arguments, environment: environment)
        } catch {
            RenumCommand.printError(error.description)
            return 2
        }
        let server: RenumServer
        do {
            server = try RenumServer(configuration: configuration)
            try await server.start()
        } catch let error as ConfigurationError {
            RenumCommand.printError(error.description)
            return 1
        } catch {
            RenumCommand.printError("cannot start: \(error)")
            return 1
        }
        let received = await waitForTerminationSignal()
        server.logger.info("shutting down", ["signal": received == SIGTERM ? "SIGTERM" : "SIGINT"])
        await server.shutdown()
        return 0
    }

    /// Suspends until SIGTERM or SIGINT arrives. The signals are ignored at the process level
    /// and observed through dispatch sources, so no handler runs in signal context.
    static func waitForTerminationSignal() async -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        let signals = [SIGTERM, SIGINT]
        for number in signals { signal(number, SIG_IGN) }
        let stream = AsyncStream<Int32> { continuation in
            let sources = SignalSources(signals) { continuation.yield($0) }
            continuation.onTermination = { _ in sources.cancel() }
        }
        for await number in stream { return number }
        return SIGTERM
    }
}

/// Dispatch sources for a set of signals, kept alive until cancelled.
final class SignalSources: @unchecked Sendable {
    // Sendable by contract: `sources` is written once in init; DispatchSource is thread-safe.
    private let sources: [any DispatchSourceSignal]

    init(_ signals: [Int32], onSignal: @escaping @Sendable (Int32) -> Void) {
        sources = signals.map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { onSignal(number) }
            source.resume()
            return source
        }
    }

    func cancel() { sources.forEach { $0.cancel() } }
}
