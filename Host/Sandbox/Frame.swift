/// One message between host and worker.
///
/// Wire layout (big-endian): `u32 length` (of everything after it: 1 + 8 + payload),
/// `u8 type`, `u64 id`, payload. `id` is the call id for invoke/result/cancel, the request
/// id for host request/reply, 0 for init/ready/refused/shutdown and call-less logs.
struct Frame: Sendable, Equatable {
    /// What a frame carries; unknown values are a protocol error.
    enum Kind: UInt8, Sendable {
        /// host → worker: manifest, artifact, digest, config (`InitMessage`).
        case initialize = 1
        /// worker → host: the plugin is loaded and the sandbox is on (`ReadyMessage`).
        case ready = 2
        /// worker → host: the plugin was refused at load (`LoadError` code + message).
        case refused = 3
        /// host → worker: run a capability (`InvokeMessage`), id = call id.
        case invoke = 4
        /// worker → host: the call's outcome and metering (`ResultMessage`), id = call id.
        case result = 5
        /// worker → host: http_request / get_credential / log for the host to answer (`HostRequest`).
        case hostRequest = 6
        /// host → worker: the answer to a host request (`HostReply`), id = request id.
        case hostReply = 7
        /// host → worker: stop waiting on host requests of this call (id = call id).
        case cancel = 8
        /// host → worker: finish the calls in flight, shut the plugin down, exit 0.
        case shutdown = 9
    }

    /// The size of everything before the payload.
    static let headerSize = 13
    /// The largest `length` accepted (16 MiB): a bigger frame is garbage or an attack.
    static let maximumLength = 16 << 20

    var kind: Kind
    var id: UInt64
    var payload: [UInt8]

    /// The frame's bytes, ready to write in one go.
    func encoded() -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(Self.headerSize + payload.count)
        let length = UInt32(9 + payload.count)
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: length >> UInt32(shift))) }
        bytes.append(kind.rawValue)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: id >> UInt64(shift))) }
        bytes.append(contentsOf: payload)
        return bytes
    }

    /// The payload length announced by a 13-byte header, its kind and id; throws on garbage.
    static func header(_ bytes: [UInt8], at start: Int) throws(FrameError) -> (payloadLength: Int, kind: Kind, id: UInt64) {
        var length = 0
        for index in start..<start + 4 { length = length << 8 | Int(bytes[index]) }
        guard length >= 9, length - 9 <= maximumLength else { throw FrameError.badLength(length) }
        guard let kind = Kind(rawValue: bytes[start + 4]) else { throw FrameError.unknownKind(bytes[start + 4]) }
        var id: UInt64 = 0
        for index in start + 5..<start + 13 { id = id << 8 | UInt64(bytes[index]) }
        return (length - 9, kind, id)
    }
}

/// Why the byte stream between host and worker could not be read or written.
enum FrameError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The announced length is below the header or above `Frame.maximumLength`.
    case badLength(Int)
    /// A type byte no frame has.
    case unknownKind(UInt8)
    /// A payload that does not decode as its kind says.
    case malformed(String)
    /// The other side closed the connection.
    case closed
    /// read/send failed with this errno.
    case io(Int32)

    var description: String {
        switch self {
        case .badLength(let length): return "frame length \(length) out of range"
        case .unknownKind(let kind): return "unknown frame type \(kind)"
        case .malformed(let what): return "malformed frame: \(what)"
        case .closed: return "connection closed"
        case .io(let code): return "I/O error \(code)"
        }
    }
}
