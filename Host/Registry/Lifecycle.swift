/// The states of an agent version and the moves between them.
///
/// draft → staged (needs an accepted artifact) → approved (active) → deprecated.
/// Approving an approved-but-inactive or a deprecated version again makes it active:
/// that is rollback. A version is immutable once staged.
public enum AgentStatus: String, Sendable, CaseIterable {
    case draft, staged, approved, deprecated
}

/// An admin's lifecycle action.
public enum LifecycleAction: String, Sendable, CaseIterable {
    case stage, approve, deprecate

    /// The status a version ends in.
    public var target: AgentStatus {
        switch self {
        case .stage: return .staged
        case .approve: return .approved
        case .deprecate: return .deprecated
        }
    }

    /// The statuses this action may start from.
    public var allowedFrom: Set<AgentStatus> {
        switch self {
        case .stage: return [.draft]
        case .approve: return [.staged, .approved, .deprecated]
        case .deprecate: return [.draft, .staged, .approved]
        }
    }

    /// The actions possible from `status`, for the 409 that names them.
    public static func allowed(from status: AgentStatus) -> [LifecycleAction] {
        allCases.filter { $0.allowedFrom.contains(status) }
    }
}
