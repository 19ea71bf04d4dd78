/// The platforms an integration can connect.
public enum IntegrationType: String, CaseIterable, Sendable {
    case whatsapp, telegram, zapier, n8n, make, generic
}

/// Whether an integration accepts and processes events.
public enum IntegrationStatus: String, CaseIterable, Sendable {
    case active, inactive, error
}
