import Foundation
import Testing
@testable import RenumEgress

/// getaddrinfo has no timeout; the resolver must not wait on a dead resolver for longer than
/// the request allows, nor pile up threads behind it.
@Suite struct ResolverTests {
    /// A lookup that answers only when the test lets it (or after 10 s).
    final class Gate: @unchecked Sendable {
        private let semaphore = DispatchSemaphore(value: 0)
        func open(_ count: Int) { for _ in 0..<count { semaphore.signal() } }
        func hang(_ host: String) -> Result<[IPAddress], EgressError> {
            _ = semaphore.wait(timeout: .now() + 10)
            return .failure(EgressError(.dnsFailed, "released"))
        }
    }

    @Test func aLookupWithoutAnAnswerFailsAtItsTimeout() {
        let gate = Gate()
        defer { gate.open(1) }
        let began = ContinuousClock.now
        do {
            _ = try Resolver.resolve("hangs.example", timeoutMilliseconds: 100, slots: LookupSlots(limit: 4), lookup: gate.hang)
            Issue.record("resolved without an answer")
        } catch {
            #expect(error.code == .dnsFailed)
            #expect(error.message.contains("no answer within 100 ms"))
        }
        #expect(ContinuousClock.now - began < .seconds(2))
    }

    @Test func abandonedLookupsStillHoldTheirSlotsUntilTheyEnd() throws {
        let gate = Gate(), slots = LookupSlots(limit: 3)
        for _ in 0..<3 {
            #expect(throws: EgressError.self) {
                try Resolver.resolve("hangs.example", timeoutMilliseconds: 20, slots: slots, lookup: gate.hang)
            }
        }
        do {
            _ = try Resolver.resolve("hangs.example", timeoutMilliseconds: 1_000, slots: slots, lookup: gate.hang)
            Issue.record("a fourth lookup ran")
        } catch {
            #expect(error.message.contains("too many lookups in progress"))
        }
        gate.open(3)
        var answered: [IPAddress] = []
        for _ in 0..<200 where answered.isEmpty {
            answered = (try? Resolver.resolve("localhost", timeoutMilliseconds: 1_000, slots: slots) { _ in
                .success([IPAddress(bytes: [127, 0, 0, 1])!])
            }) ?? []
            if answered.isEmpty { Thread.sleep(forTimeInterval: 0.01) }
        }
        #expect(answered == [IPAddress(bytes: [127, 0, 0, 1])!])
    }

    @Test func theSystemResolverAnswersForLocalhost() throws {
        let addresses = try Resolver.resolve("localhost", timeoutMilliseconds: 5_000)
        #expect(!addresses.isEmpty)
        #expect(addresses.allSatisfy { $0.category == .loopback })
    }
}
