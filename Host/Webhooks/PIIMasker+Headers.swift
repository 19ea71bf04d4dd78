import RenumCore

extension PIIMasker {
    /// Headers with credentials and signatures redacted and other values masked as free text.
    public func mask(_ headers: WebhookHeaders) -> [(name: String, value: String)] {
        headers.fields.map { field in
            (name: field.name,
             value: SensitiveKeys.isSecretHeader(field.name) ? Self.redacted : maskText(field.value))
        }
    }

    /// Masked headers as a JSON object keyed by lowercased name; repeated headers are
    /// joined with `, ` as HTTP allows.
    public func maskedHeadersJSON(_ headers: WebhookHeaders) -> String {
        var merged: [String: String] = [:]
        for field in mask(headers) {
            let name = field.name.lowercased()
            merged[name] = merged[name].map { "\($0), \(field.value)" } ?? field.value
        }
        var writer = JSONWriter()
        writer.object { object in
            for name in merged.keys.sorted() {
                object.field(name, merged[name]!)
            }
        }
        return writer.text
    }
}
