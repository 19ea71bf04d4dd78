#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
internal import CRenumPlugin

/// The host table, shared by every call of an instance (host-owned, immutable, thread-safe).
struct HostTable: @unchecked Sendable {
    let api: UnsafePointer<renum_host_api>

    func log(_ context: OpaquePointer?, _ level: LogLevel, _ message: String) {
        var message = message
        message.withUTF8 { bytes in
            api.pointee.log(context, renum_plugin_log_level(rawValue: level.rawValue),
                            bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                            bytes.count)
        }
    }

    func now(_ context: OpaquePointer?) -> UInt64 { api.pointee.now(context) }
}

/// What a plugin can use outside a call (during `init` and `shutdown`): log and clock.
public struct PluginHost: Sendable {
    let table: HostTable

    /// Logs a line attributed to the plugin (not to a call).
    public func log(_ level: LogLevel, _ message: String) { table.log(nil, level, message) }

    /// The host's wall clock.
    public var now: Date { Date(nanosecondsSince1970: table.now(nil)) }

    /// The host's ABI version (major, minor).
    public var abiVersion: (major: UInt32, minor: UInt32) { (table.api.pointee.abi_major, table.api.pointee.abi_minor) }
}

/// The handle on the host for ONE call: valid only while the handler runs (do not
/// keep it, do not use it from work that outlives the call). Thread-safe.
public struct CallContext: @unchecked Sendable {
    let table: HostTable
    let context: OpaquePointer?
    /// The capability being invoked.
    public let capability: String

    /// Logs a line attributed to this call.
    public func log(_ level: LogLevel, _ message: String) { table.log(context, level, message) }

    /// Sends an HTTP request through the host's egress (policy.allowed_hosts applies).
    /// A non-2xx status is a response, not an error. Throws `HostError` (denied, timeout,
    /// cancelled, unavailable, …).
    public func http(_ request: HTTPRequest) throws -> HTTPResponse {
        let json = try JSONEncoder().encode(request)
        let response = try call { out, outLength in
            json.withUnsafeBytes { bytes in
                table.api.pointee.http_request(context, bytes.baseAddress?.assumingMemoryBound(to: CChar.self),
                                               bytes.count, out, outLength)
            }
        }
        do {
            return try JSONDecoder().decode(HTTPResponse.self, from: Data(response.utf8))
        } catch {
            throw HostError(result: .invalidArgument, code: nil, message: "the host returned a malformed HTTP response")
        }
    }

    /// The calling user's secret for a service type declared in the manifest's
    /// required_credentials, e.g. ["api_key": "…"]. Throws `HostError` (.denied, .notFound).
    /// Never log it, never keep it beyond the call.
    public func credential(_ serviceType: String) throws -> [String: String] {
        var serviceType = serviceType
        let secret = try call { out, outLength in
            serviceType.withUTF8 { bytes in
                table.api.pointee.get_credential(context, bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                                 bytes.count, out, outLength)
            }
        }
        guard let values = try? JSONDecoder().decode([String: JSONValue].self, from: Data(secret.utf8)) else {
            throw HostError(result: .invalidArgument, code: nil, message: "the host returned a malformed credential")
        }
        return values.compactMapValues { value in
            switch value {
            case .string(let string): return string
            case .number, .bool: return value.jsonText
            default: return nil
            }
        }
    }

    /// Reports usage of this call (e.g. "tokens", 1234); units of one call add up.
    /// Returns false when the host refused it (empty unit, negative or non-finite quantity).
    @discardableResult
    public func meter(_ unit: String, _ quantity: Double) -> Bool {
        var unit = unit
        return unit.withUTF8 { bytes in
            table.api.pointee.meter(context, bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                    bytes.count, quantity) == RENUM_PLUGIN_RESULT_OK
        }
    }

    /// True once the call is cancelled (deadline passed, caller gone): stop and return.
    public var isCancelled: Bool { table.api.pointee.is_cancelled(context) != 0 }

    /// Throws `HostError(.cancelled)` if the call is cancelled.
    public func checkCancellation() throws {
        if isCancelled { throw HostError(result: .cancelled, code: nil, message: "the call was cancelled") }
    }

    /// The host's wall clock.
    public var now: Date { Date(nanosecondsSince1970: nowNanoseconds) }
    /// The host's wall clock, nanoseconds since the Unix epoch.
    public var nowNanoseconds: UInt64 { table.now(context) }

    /// Runs a host function that returns a host-owned buffer, copies it, frees it.
    private func call(_ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>, UnsafeMutablePointer<Int>) -> renum_plugin_result) throws -> String {
        var buffer: UnsafeMutablePointer<CChar>? = nil
        var length = 0
        let result = body(&buffer, &length)
        let text = buffer.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: length), as: UTF8.self) }
        table.api.pointee.free_buffer(buffer, length)
        guard result == RENUM_PLUGIN_RESULT_OK else {
            var code: String? = nil
            var message: String? = nil
            if let text, let details = try? JSONValue(json: text) {
                if case .string(let value)? = details["code"] { code = value }
                if case .string(let value)? = details["message"] { message = value }
            }
            let kind = HostError.Result(result.rawValue)
            throw HostError(result: kind, code: code, message: message ?? "host call failed: \(kind)")
        }
        return text ?? ""
    }
}

/// An HTTP request for `CallContext.http` (the ABI's request JSON).
public struct HTTPRequest: Codable, Sendable, Equatable {
    public var method: String
    public var url: String
    public var headers: [String: String]
    public var body: String?
    public var timeoutMs: Int?

    public init(method: String = "GET", url: String, headers: [String: String] = [:], body: String? = nil, timeoutMs: Int? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutMs = timeoutMs
    }

    enum CodingKeys: String, CodingKey {
        case method, url, headers, body
        case timeoutMs = "timeout_ms"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        method = try container.decodeIfPresent(String.self, forKey: .method) ?? "GET"
        url = try container.decode(String.self, forKey: .url)
        headers = try container.decodeIfPresent([String: String].self, forKey: .headers) ?? [:]
        body = try container.decodeIfPresent(String.self, forKey: .body)
        timeoutMs = try container.decodeIfPresent(Int.self, forKey: .timeoutMs)
    }
}

/// An HTTP response from `CallContext.http` (the ABI's response JSON).
public struct HTTPResponse: Codable, Sendable, Equatable {
    public var status: Int
    public var headers: [String: String]
    /// The body, when it is valid UTF-8.
    public var body: String?
    /// The body, base64, when it is not valid UTF-8.
    public var bodyBase64: String?

    public init(status: Int, headers: [String: String] = [:], body: String? = nil, bodyBase64: String? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.bodyBase64 = bodyBase64
    }

    enum CodingKeys: String, CodingKey {
        case status, headers, body
        case bodyBase64 = "body_base64"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decode(Int.self, forKey: .status)
        headers = try container.decodeIfPresent([String: String].self, forKey: .headers) ?? [:]
        body = try container.decodeIfPresent(String.self, forKey: .body)
        bodyBase64 = try container.decodeIfPresent(String.self, forKey: .bodyBase64)
    }

    /// The body bytes, whichever way they came.
    public var bodyData: Data {
        if let body { return Data(body.utf8) }
        if let bodyBase64, let data = Data(base64Encoded: bodyBase64) { return data }
        return Data()
    }
}

/// A host function refused or failed. Thrown out of a handler, it becomes the call's
/// structured error with `pluginCode` as its code (e.g. EGRESS_DENIED).
public struct HostError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Result: Sendable, Equatable {
        case invalidArgument, denied, notFound, timeout, cancelled, unavailable, noMemory
        case other(UInt32)

        init(_ raw: UInt32) {
            switch raw {
            case 2: self = .invalidArgument
            case 3: self = .denied
            case 4: self = .notFound
            case 5: self = .timeout
            case 6: self = .cancelled
            case 7: self = .unavailable
            case 8: self = .noMemory
            default: self = .other(raw)
            }
        }
    }

    /// What the host function returned.
    public let result: Result
    /// The host's own code for it, when it sent one.
    public let code: String?
    /// The host's explanation.
    public let message: String

    public init(result: Result, code: String?, message: String) {
        self.result = result
        self.code = code
        self.message = message
    }

    /// The code this error carries when it escapes a handler: the host's own code when it gave
    /// one (EGRESS_HOST_NOT_ALLOWED, CREDENTIAL_NOT_DECLARED, …), else one named after the result.
    public var pluginCode: String {
        if let code, !code.isEmpty { return code }
        switch result {
        case .invalidArgument: return "HOST_INVALID_ARGUMENT"
        case .denied: return "DENIED"
        case .notFound: return "NOT_FOUND"
        case .timeout: return "TIMEOUT"
        case .cancelled: return "CANCELLED"
        case .unavailable: return "UNAVAILABLE"
        case .noMemory: return "NO_MEMORY"
        case .other: return PluginError.pluginErrorCode
        }
    }

    public var description: String { "\(pluginCode): \(message)" }
}

extension Date {
    init(nanosecondsSince1970 nanoseconds: UInt64) {
        self.init(timeIntervalSince1970: Double(nanoseconds / 1_000_000_000) + Double(nanoseconds % 1_000_000_000) / 1e9)
    }
}
