import Testing
import RenumCore
import RenumRuntime
@testable import RenumSandbox

#if canImport(Glibc)
import Glibc
#endif

/// The wire format: round trips, and garbage refused.
@Suite struct FrameTests {
    /// A connected pair of channels.
    func pair() -> (FrameChannel, FrameChannel) {
        var fds: [Int32] = [-1, -1]
        _ = socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds)
        return (FrameChannel(fd: fds[0]), FrameChannel(fd: fds[1]))
    }

    @Test func framesRoundTripInOrder() throws {
        let (a, b) = pair()
        defer { a.close(); b.close() }
        let big = [UInt8](repeating: 7, count: 200_000)   // bigger than the read buffer
        try a.send(Frame(kind: .invoke, id: 42, payload: InvokeMessage(capability: "echo", input: big).encoded()))
        try a.send(Frame(kind: .cancel, id: 43, payload: []))
        let first = try b.receive()
        #expect(first.kind == .invoke && first.id == 42)
        #expect(try InvokeMessage.decode(first.payload) == InvokeMessage(capability: "echo", input: big))
        #expect(try b.receive() == Frame(kind: .cancel, id: 43, payload: []))
    }

    @Test func resultsAndHostMessagesRoundTrip() throws {
        let metering = Metering(wallNanoseconds: 5, cpuNanoseconds: 4, egressRequests: 1, egressBytesOut: 2, egressBytesIn: 3, hostCalls: 6,
                                units: ["tokens": 12.5], cost: 0.25)
        let result = ResultMessage(outcome: .failure(code: "X", message: "m", details: .array([.string("d")])), metering: metering, peakMemoryBytes: 99)
        let decoded = try ResultMessage.decode(result.encoded())
        #expect(decoded.outcome == result.outcome)
        #expect(decoded.metering == metering)
        #expect(decoded.peakMemoryBytes == 99)
        for request in [HostRequest.http(callID: 1, request: Array("{}".utf8)), .credential(callID: 2, serviceType: "openai"),
                        .log(callID: 0, level: .warning, message: "hi")] {
            #expect(try HostRequest.decode(request.encoded()) == request)
        }
        for reply in [HostCallResult.ok([1, 2]), .denied(code: "A", message: "b"), .notFound, .failed(code: "C", message: "d"), .timeout] {
            #expect(try HostReply.decode(HostReply.encode(reply)) == reply)
        }
    }

    @Test func garbageIsRefused() throws {
        // Length over 16 MiB, length under the header, unknown type, trailing bytes, truncation.
        #expect(throws: FrameError.badLength(Frame.maximumLength + 19)) {
            _ = try Frame.header([0x01, 0x00, 0x00, 0x13, 4, 0, 0, 0, 0, 0, 0, 0, 0], at: 0)
        }
        #expect(throws: FrameError.badLength(3)) { _ = try Frame.header([0, 0, 0, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0], at: 0) }
        #expect(throws: FrameError.unknownKind(200)) { _ = try Frame.header([0, 0, 0, 9, 200, 0, 0, 0, 0, 0, 0, 0, 0], at: 0) }
        #expect(throws: FrameError.self) { _ = try InvokeMessage.decode(InvokeMessage(capability: "a", input: []).encoded() + [0]) }
        #expect(throws: FrameError.self) { _ = try InvokeMessage.decode([0, 0, 0, 9, 1]) }
        #expect(throws: FrameError.self) { _ = try HostReply.decode([9]) }

        let (a, b) = pair()
        defer { a.close(); b.close() }
        _ = [UInt8]([0xFF, 0xFF, 0xFF, 0xFF, 1, 0, 0, 0, 0, 0, 0, 0, 0]).withUnsafeBytes { write(b.fd, $0.baseAddress, $0.count) }
        #expect(throws: FrameError.badLength(0xFFFF_FFFF)) { _ = try a.receive() }
    }

    @Test func endOfStreamIsClosed() {
        let (a, b) = pair()
        b.close()
        #expect(throws: FrameError.closed) { _ = try a.receive() }
        a.close()
    }
}
