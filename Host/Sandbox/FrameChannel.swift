// The one file that reads and writes frames on a socket fd (read/send, errno).
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// One end of the host–worker socketpair. Reading is for a single reader thread;
/// `send` may be called from any thread (each frame goes out whole, under a lock).
final class FrameChannel: Sendable {
    let fd: Int32
    /// Guards writes and the closed state: a send after close never writes to a reused fd number.
    private let writeLock = Mutex<Bool>(false)
    private let reader: Mutex<ReadBuffer>

    /// Bytes read but not yet parsed, `storage[start..<end]` (only the reader thread touches it).
    struct ReadBuffer: ~Copyable {
        var storage = [UInt8](repeating: 0, count: 64 << 10)
        var start = 0
        var end = 0
    }

    /// Owns `fd` from now on (closed by `close()`).
    init(fd: Int32) {
        self.fd = fd
        reader = Mutex(ReadBuffer())
    }

    /// Sends one frame; throws `.closed` when the peer is gone (no SIGPIPE: MSG_NOSIGNAL).
    func send(_ frame: Frame) throws(FrameError) {
        let bytes = frame.encoded()
        let code: Int32 = writeLock.withLock { closed in
            if closed { return EPIPE }
            return bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let sent = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                    if sent < 0 {
                        if errno == EINTR { continue }
                        return errno
                    }
                    offset += sent
                }
                return 0
            }
        }
        guard code == 0 else { throw code == EPIPE || code == ECONNRESET ? FrameError.closed : FrameError.io(code) }
    }

    /// Blocks for the next whole frame; throws `.closed` at EOF and on garbage.
    func receive() throws(FrameError) -> Frame {
        try reader.withLock { buffer throws(FrameError) in
            try fill(&buffer, Frame.headerSize)
            let (length, kind, id) = try Frame.header(buffer.storage, at: buffer.start)
            try fill(&buffer, Frame.headerSize + length)
            let payloadStart = buffer.start + Frame.headerSize
            let payload = Array(buffer.storage[payloadStart..<payloadStart + length])
            buffer.start = payloadStart + length
            if buffer.start == buffer.end { buffer.start = 0; buffer.end = 0 }
            return Frame(kind: kind, id: id, payload: payload)
        }
    }

    /// Reads until `count` unparsed bytes are buffered at `buffer.start`.
    private func fill(_ buffer: inout ReadBuffer, _ count: Int) throws(FrameError) {
        while buffer.end - buffer.start < count {
            if buffer.start + count > buffer.storage.count {
                // Move the unparsed bytes to the front, and grow for a frame bigger than the buffer.
                let pending = Array(buffer.storage[buffer.start..<buffer.end])
                if count > buffer.storage.count { buffer.storage = [UInt8](repeating: 0, count: count) }
                buffer.storage.replaceSubrange(0..<pending.count, with: pending)
                buffer.start = 0
                buffer.end = pending.count
            }
            let end = buffer.end
            let got = buffer.storage.withUnsafeMutableBytes { raw in Glibc.read(fd, raw.baseAddress! + end, raw.count - end) }
            if got == 0 { throw FrameError.closed }
            if got < 0 {
                let code = errno
                if code == EINTR { continue }
                throw code == ECONNRESET ? FrameError.closed : FrameError.io(code)
            }
            buffer.end += got
        }
    }

    /// Closes the descriptor (once, after the reader has stopped); later sends fail with `.closed`.
    func close() {
        writeLock.withLock { closed in
            guard !closed else { return }
            closed = true
            _ = Glibc.close(fd)
        }
    }
}
