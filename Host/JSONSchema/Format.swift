/// The `format` values asserted; any other format is an annotation only and ignored.
enum Format: String, Sendable {
    case email, uri, date, uuid, ipv4, ipv6
    case dateTime = "date-time"

    /// True when `s` is well formed for this format.
    func accepts(_ s: String) -> Bool {
        switch self {
        case .email: return FormatCheck.email(s)
        case .uri: return FormatCheck.uri(s)
        case .date: return FormatCheck.date(s)
        case .dateTime: return FormatCheck.dateTime(s)
        case .uuid: return FormatCheck.uuid(s)
        case .ipv4: return FormatCheck.ipv4(s)
        case .ipv6: return FormatCheck.ipv6(s)
        }
    }
}
