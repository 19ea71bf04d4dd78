import Foundation
import RenumCore
import RenumCredentials
import RenumEgress
import RenumObservability
import RenumRuntime
import RenumStorage

/// The host's policy for what plugins ask of the world: the only way a plugin reaches the
/// network or a secret.
///
/// - Egress: only to the manifest's `allowed_hosts`, through `EgressClient` (SSRF guard,
///   redirects re-checked, size cap). Private and loopback addresses only when the server's
///   own configuration allows them (tests do); the plugin can never ask for that.
/// - Credentials: only service types the manifest declares in `required_credentials`, only
///   the calling user's. Anything else is `POLICY_DENIED` and an audit record.
/// - Injection: a header value `{{credential:SERVICE.FIELD}}` is replaced by the host with
///   the calling user's secret field, under the same rules, so a plugin can authenticate a
///   request without ever holding the secret.
struct PluginHostServices: HostServices {
    let egress: EgressClient
    let credentials: CredentialService
    let store: any Store
    let allowPrivateAddresses: Bool
    let maxResponseBytes: Int
    let logger: Logger

    func httpRequest(_ requestJSON: [UInt8], call: CallInfo) -> HostCallResult {
        var request: EgressRequest
        do {
            request = try EgressRequest(json: requestJSON)
        } catch {
            return .denied(code: error.code.rawValue, message: error.message)
        }
        request.timeoutMilliseconds = min(request.timeoutMilliseconds, call.manifest.policy.timeoutMilliseconds)
        do {
            request.headers = try injectCredentials(into: request.headers, call: call)
        } catch {
            return error.result
        }
        let policy = EgressPolicy(allowedHosts: call.manifest.policy.allowedHosts, allowPrivateAddresses: allowPrivateAddresses,
                                  maxResponseBytes: maxResponseBytes)
        do {
            return .ok(try egress.perform(request, policy: policy).json())
        } catch {
            switch error.code {
            case .hostNotAllowed, .addressForbidden, .schemeNotAllowed, .invalidRequest:
                audit("plugin.egress_denied", call: call, details: ["code": .string(error.code.rawValue)])
                return .denied(code: error.code.rawValue, message: error.message)
            case .timeout:
                return .timeout
            default:
                return .failed(code: error.code.rawValue, message: error.message)
            }
        }
    }

    func credential(serviceType: String, call: CallInfo) -> HostCallResult {
        guard call.manifest.requiredCredentials.contains(serviceType) else {
            audit("plugin.credential_denied", call: call, details: ["service_type": .string(serviceType)])
            return .denied(code: "POLICY_DENIED", message: "'\(serviceType)' is not in this agent's required_credentials")
        }
        guard let userID = call.userID else { return .notFound }
        do {
            guard let secret = try credentials.release(serviceType: serviceType, userID: userID) else { return .notFound }
            return .ok(secret)
        } catch {
            logger.error("a stored credential could not be opened", ["service_type": serviceType, "agent_id": call.agentID])
            return .failed(code: "CREDENTIAL_UNREADABLE", message: "the stored credential could not be read")
        }
    }

    func log(_ level: PluginLogLevel, _ message: String, call: CallInfo?) {
        guard logger.isEnabled(level.logLevel) else { return }
        var fields: [String: String] = [:]
        if let call {
            fields = ["agent_id": call.agentID, "version": call.version.description, "capability": call.capability]
            if let requestID = call.requestID { fields["request_id"] = requestID }
        }
        // Plugin text is data, not ours: cap its length so one call cannot write megabytes per line.
        logger.log(level.logLevel, String(message.prefix(4096)), fields)
    }

    // MARK: Injection

    struct InjectionRefusal: Error {
        let result: HostCallResult
    }

    static let placeholderPrefix = "{{credential:"

    private func injectCredentials(into headers: [(String, String)], call: CallInfo) throws(InjectionRefusal) -> [(String, String)] {
        guard headers.contains(where: { $0.1.contains(Self.placeholderPrefix) }) else { return headers }
        var opened: [String: [String: JSONValue]] = [:]
        var out: [(String, String)] = []
        for (name, value) in headers {
            var text = value
            while let start = text.range(of: Self.placeholderPrefix), let end = text.range(of: "}}", range: start.upperBound..<text.endIndex) {
                let reference = text[start.upperBound..<end.lowerBound]
                let parts = reference.split(separator: ".", maxSplits: 1).map(String.init)
                guard parts.count == 2 else {
                    throw InjectionRefusal(result: .denied(code: "INVALID_CREDENTIAL_REFERENCE", message: "use {{credential:SERVICE.FIELD}}"))
                }
                let (service, field) = (parts[0], parts[1])
                if opened[service] == nil {
                    switch credential(serviceType: service, call: call) {
                    case .ok(let bytes):
                        opened[service] = JSONText.decode(String(decoding: bytes, as: UTF8.self))?.objectValue ?? [:]
                    case let other:
                        throw InjectionRefusal(result: other)
                    }
                }
                guard let secret = opened[service]?[field]?.stringValue else {
                    throw InjectionRefusal(result: .notFound)
                }
                text.replaceSubrange(start.lowerBound..<end.upperBound, with: secret)
            }
            out.append((name, text))
        }
        return out
    }

    // MARK: Audit

    private func audit(_ action: String, call: CallInfo, details: [String: JSONValue]) {
        var all = details
        all["capability"] = .string(call.capability)
        if let requestID = call.requestID { all["request_id"] = .string(requestID) }
        let entry = AuditEntry(actorID: call.userID, action: action, targetType: "agent_version",
                               targetID: "\(call.agentID)@\(call.version)", details: JSONText.encode(.object(all)))
        let store = self.store
        Task { try? await store.write { db in try AuditLog.append(entry, in: db) } }
    }
}
