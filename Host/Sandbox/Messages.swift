import RenumCore
import RenumManifest
import RenumRuntime

/// init: what the worker loads, and under which budget.
struct InitMessage: Sendable, Equatable {
    var manifestJSON: [UInt8]
    var artifactPath: String
    var sha256: String
    var config: [UInt8]

    func encoded() -> [UInt8] {
        var writer = PayloadWriter(capacity: manifestJSON.count + config.count + 128)
        writer.data(manifestJSON); writer.string(artifactPath); writer.string(sha256); writer.data(config)
        return writer.bytes
    }

    static func decode(_ bytes: [UInt8]) throws(FrameError) -> InitMessage {
        var reader = PayloadReader(bytes)
        let message = InitMessage(manifestJSON: try reader.data(), artifactPath: try reader.string(),
                                  sha256: try reader.string(), config: try reader.data())
        try reader.finish()
        return message
    }
}

/// ready: how the worker's sandbox came out.
struct ReadyMessage: Sendable, Equatable {
    /// True when the worker entered its own network namespace.
    var networkNamespace: Bool
    /// RLIMIT_AS, bytes.
    var addressSpaceLimit: UInt64
    /// VmHWM/ru_maxrss right after load, bytes (what a worker costs at rest).
    var restingPeakBytes: UInt64
    /// VmSize right after load, bytes.
    var restingAddressSpaceBytes: UInt64

    func encoded() -> [UInt8] {
        var writer = PayloadWriter()
        writer.u8(networkNamespace ? 1 : 0); writer.u64(addressSpaceLimit); writer.u64(restingPeakBytes); writer.u64(restingAddressSpaceBytes)
        return writer.bytes
    }

    static func decode(_ bytes: [UInt8]) throws(FrameError) -> ReadyMessage {
        var reader = PayloadReader(bytes)
        let message = ReadyMessage(networkNamespace: try reader.u8() == 1, addressSpaceLimit: try reader.u64(),
                                   restingPeakBytes: try reader.u64(), restingAddressSpaceBytes: try reader.u64())
        try reader.finish()
        return message
    }
}

/// refused (and any code + message pair).
struct CodeMessage: Sendable, Equatable {
    var code: String
    var message: String

    func encoded() -> [UInt8] {
        var writer = PayloadWriter(); writer.string(code); writer.string(message); return writer.bytes
    }

    static func decode(_ bytes: [UInt8]) throws(FrameError) -> CodeMessage {
        var reader = PayloadReader(bytes)
        let message = CodeMessage(code: try reader.string(), message: try reader.string())
        try reader.finish()
        return message
    }
}

/// invoke: capability and input JSON.
struct InvokeMessage: Sendable, Equatable {
    var capability: String
    var input: [UInt8]

    func encoded() -> [UInt8] {
        var writer = PayloadWriter(capacity: capability.utf8.count + input.count + 8)
        writer.string(capability); writer.data(input)
        return writer.bytes
    }

    static func decode(_ bytes: [UInt8]) throws(FrameError) -> InvokeMessage {
        var reader = PayloadReader(bytes)
        let message = InvokeMessage(capability: try reader.string(), input: try reader.data())
        try reader.finish()
        return message
    }
}

/// result: the outcome, the metering and the worker's peak memory.
struct ResultMessage: Sendable {
    var outcome: InvocationOutcome
    var metering: Metering
    var peakMemoryBytes: UInt64

    func encoded() -> [UInt8] {
        var writer = PayloadWriter(capacity: 128)
        switch outcome {
        case .success(let output):
            writer.u8(0); writer.data(output)
        case .failure(let code, let message, let details):
            writer.u8(1); writer.string(code); writer.string(message)
            if let details {
                var json = JSONWriter(); json.value(details); writer.data(json.bytes)
            } else {
                writer.data([])
            }
        }
        writer.u64(metering.wallNanoseconds); writer.u64(metering.cpuNanoseconds)
        writer.u64(UInt64(metering.egressRequests)); writer.u64(UInt64(metering.egressBytesOut))
        writer.u64(UInt64(metering.egressBytesIn)); writer.u64(UInt64(metering.hostCalls))
        writer.u64(UInt64(metering.units.count))
        for (unit, quantity) in metering.units { writer.string(unit); writer.double(quantity) }
        writer.double(metering.cost)
        writer.u64(peakMemoryBytes)
        return writer.bytes
    }

    static func decode(_ bytes: [UInt8]) throws(FrameError) -> ResultMessage {
        var reader = PayloadReader(bytes)
        let outcome: InvocationOutcome
        switch try reader.u8() {
        case 0:
            outcome = .success(try reader.data())
        case 1:
            let code = try reader.string(), message = try reader.string(), detailBytes = try reader.data()
            var details: JSONValue?
            if !detailBytes.isEmpty {
                guard let value = try? JSONParser.parse(detailBytes) else { throw FrameError.malformed("details are not JSON") }
                details = value
            }
            outcome = .failure(code: code, message: message, details: details)
        case let other:
            throw FrameError.malformed("outcome \(other)")
        }
        var metering = Metering(wallNanoseconds: try reader.u64(), cpuNanoseconds: try reader.u64(),
                                egressRequests: try reader.int(), egressBytesOut: try reader.int(),
                                egressBytesIn: try reader.int(), hostCalls: try reader.int())
        let unitCount = try reader.int()
        guard unitCount <= 10_000 else { throw FrameError.malformed("\(unitCount) units") }
        for _ in 0..<unitCount {
            let unit = try reader.string()
            metering.units[unit, default: 0] += try reader.double()
        }
        metering.cost = try reader.double()
        let peak = try reader.u64()
        try reader.finish()
        return ResultMessage(outcome: outcome, metering: metering, peakMemoryBytes: peak)
    }
}

/// A host API call the worker forwards: the host applies policy and answers (logs get no answer).
enum HostRequest: Sendable, Equatable {
    case http(callID: UInt64, request: [UInt8])
    case credential(callID: UInt64, serviceType: String)
    /// `callID` 0: a line from on_init / on_shutdown or from the worker itself.
    case log(callID: UInt64, level: PluginLogLevel, message: String)

    func encoded() -> [UInt8] {
        var writer = PayloadWriter(capacity: 64)
        switch self {
        case .http(let callID, let request): writer.u8(1); writer.u64(callID); writer.data(request)
        case .credential(let callID, let serviceType): writer.u8(2); writer.u64(callID); writer.string(serviceType)
        case .log(let callID, let level, let message): writer.u8(3); writer.u64(callID); writer.u8(UInt8(level.rawValue)); writer.string(message)
        }
        return writer.bytes
    }

    static func decode(_ bytes: [UInt8]) throws(FrameError) -> HostRequest {
        var reader = PayloadReader(bytes)
        let kind = try reader.u8(), callID = try reader.u64()
        let request: HostRequest
        switch kind {
        case 1: request = .http(callID: callID, request: try reader.data())
        case 2: request = .credential(callID: callID, serviceType: try reader.string())
        case 3:
            guard let level = PluginLogLevel(rawValue: Int32(try reader.u8())) else { throw FrameError.malformed("log level") }
            request = .log(callID: callID, level: level, message: try reader.string())
        default: throw FrameError.malformed("host request kind \(kind)")
        }
        try reader.finish()
        return request
    }
}

/// host reply: a `HostCallResult` on the wire.
enum HostReply {
    static func encode(_ result: HostCallResult) -> [UInt8] {
        var writer = PayloadWriter(capacity: 64)
        switch result {
        case .ok(let body): writer.u8(0); writer.data(body)
        case .denied(let code, let message): writer.u8(1); writer.string(code); writer.string(message)
        case .notFound: writer.u8(2)
        case .failed(let code, let message): writer.u8(3); writer.string(code); writer.string(message)
        case .timeout: writer.u8(4)
        }
        return writer.bytes
    }

    static func decode(_ bytes: [UInt8]) throws(FrameError) -> HostCallResult {
        var reader = PayloadReader(bytes)
        let result: HostCallResult
        switch try reader.u8() {
        case 0: result = .ok(try reader.data())
        case 1: result = .denied(code: try reader.string(), message: try reader.string())
        case 2: result = .notFound
        case 3: result = .failed(code: try reader.string(), message: try reader.string())
        case 4: result = .timeout
        case let other: throw FrameError.malformed("reply kind \(other)")
        }
        try reader.finish()
        return result
    }
}
