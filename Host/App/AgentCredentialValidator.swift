import Foundation
import RenumCore
import RenumCredentials
import RenumRegistry
import RenumManifest
import RenumRuntime
import RenumStorage

/// Validates a credential with the agent that serves its service type.
///
/// The agent is an active version that declares the service type in `required_credentials`
/// and offers a capability named `validate_credential`. It is called for the credential's
/// owner with `{"service_type": …}` and reads the secret itself through `get_credential`
/// (the host's usual policy), so the secret never travels in the call's input. Its output
/// must be `{"valid": Bool, "message"?: String}`.
struct AgentCredentialValidator: CredentialValidator {
    static let capability = "validate_credential"
    let registry: RegistryService
    let serving: RuntimeAgentServing

    func validate(serviceType: String, secrets: [UInt8], for owner: Principal, requestID: String) async -> CredentialVerdict {
        let candidates: [(record: RenumStorage.AgentVersionRecord, manifest: RenumManifest.PluginManifest)]
        do {
            candidates = try registry.availableAgents(capabilities: [Self.capability])
                .filter { $0.manifest.requiredCredentials.contains(serviceType) }
        } catch {
            return .failed(code: "VALIDATION_FAILED", message: "the registry could not be read")
        }
        guard let (record, manifest) = candidates.sorted(by: { $0.record.agentID < $1.record.agentID }).first else { return .unsupported }
        do {
            try await registry.ensureLoaded(record)
        } catch {
            return .failed(code: "VALIDATOR_UNAVAILABLE", message: "\(record.agentID) could not be loaded")
        }
        var input = JSONWriter()
        input.object { $0.field("service_type", serviceType) }
        let result = await serving.invoke(record, manifest: manifest, capability: Self.capability, input: input.bytes,
                                          caller: CallerContext(userID: owner.userID, requestID: requestID))
        switch result.outcome {
        case .success(let output):
            guard let verdict = JSONText.decode(String(decoding: output, as: UTF8.self)), let valid = verdict["valid"]?.boolValue else {
                return .failed(code: "INVALID_OUTPUT", message: "\(record.agentID) answered without a boolean 'valid'")
            }
            return valid ? .valid : .invalid(message: verdict["message"]?.stringValue ?? "the service refused the credential")
        case .failure(let code, let message, _):
            return .failed(code: code, message: message)
        }
    }
}
