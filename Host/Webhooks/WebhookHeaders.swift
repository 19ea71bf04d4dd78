/// Request headers in arrival order, looked up without regard to case (HTTP field
/// names are case-insensitive, and providers and proxies disagree on spelling).
public struct WebhookHeaders: Sendable, Hashable {
    /// Every header as received, duplicates included.
    public let fields: [(name: String, value: String)]

    /// Headers from name/value pairs, in arrival order.
    public init(_ fields: [(name: String, value: String)]) {
        self.fields = fields
    }

    /// Headers from a dictionary (order is not meaningful then).
    public init(_ dictionary: [String: String]) {
        self.fields = dictionary.map { (name: $0.key, value: $0.value) }
    }

    /// The first value of the header `name`, compared case-insensitively; nil when absent.
    public subscript(name: String) -> String? {
        let wanted = name.lowercased()
        return fields.first { $0.name.lowercased() == wanted }?.value
    }

    public static func == (lhs: WebhookHeaders, rhs: WebhookHeaders) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for field in fields {
            hasher.combine(field.name)
            hasher.combine(field.value)
        }
    }
}

extension WebhookHeaders: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, String)...) {
        self.fields = elements.map { (name: $0.0, value: $0.1) }
    }
}
