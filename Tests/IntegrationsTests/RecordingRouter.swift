import Foundation
import RenumIntegrations
import RenumWebhooks
import Synchronization

/// A test double of the *agent* side (what App implements over the plugin runtime), not of any
/// component under test: it records every envelope it is handed and answers as scripted —
/// fail the next N deliveries, fail for good, or hang for a while like a worker that died.
final class RecordingRouter: EventRouter {
    struct Delivery: Sendable {
        let envelope: MessageEnvelope
        let integration: RoutedIntegration
        let destination: EventDestination
        let requestID: String
    }

    private struct Script {
        var deliveries: [Delivery] = []
        var failuresLeft = 0
        var retryable = true
        var hangsLeft = 0
        var hangSeconds = 0.0
    }

    private let script = Mutex(Script())

    /// The next `count` deliveries fail (retryably unless told otherwise).
    func failNext(_ count: Int, retryable: Bool = true) {
        script.withLock { $0.failuresLeft = count; $0.retryable = retryable }
    }

    /// The next `count` deliveries sleep `seconds` before succeeding (outliving a short lease).
    func hangNext(_ count: Int, seconds: Double) {
        script.withLock { $0.hangsLeft = count; $0.hangSeconds = seconds }
    }

    var deliveries: [Delivery] { script.withLock { $0.deliveries } }

    func deliveries(for requestID: String) -> [Delivery] { deliveries.filter { $0.requestID == requestID } }

    func deliver(_ envelope: MessageEnvelope, integration: RoutedIntegration, destination: EventDestination,
                 requestID: String) async -> DeliveryOutcome {
        let (hang, fail, retryable) = script.withLock { s -> (Double, Bool, Bool) in
            s.deliveries.append(Delivery(envelope: envelope, integration: integration, destination: destination,
                                         requestID: requestID))
            if s.hangsLeft > 0 { s.hangsLeft -= 1; return (s.hangSeconds, false, true) }
            if s.failuresLeft > 0 { s.failuresLeft -= 1; return (0, true, s.retryable) }
            return (0, false, true)
        }
        if hang > 0 { try? await Task.sleep(nanoseconds: UInt64(hang * 1e9)) }
        return fail ? .failure(code: "agent_unavailable", message: "scripted failure", retryable: retryable)
            : .success(cost: 0.25)
    }
}
