import RenumCore

extension PIIMasker {
    /// Headers with credentials and signatures redacted and other values masked as free text.
    public func mask(_ headers: WebhookHeaders) -> [(name: String, value: String)] {
        headers.fields.map { field in
            (name: field.name,
             value: SensitiveKeys.isSecretHeader(field.name) ? Self.redacted : maskText(field.value))
        }
    }

    /// Masked headers as a JSON object keyed by lowercased name, in name order; repeated
    /// headers are joined with `, ` in arrival order, as HTTP allows.
    public func maskedHeadersJSON(_ headers: WebhookHeaders) -> String {
        let fields = mask(headers)
        let names = fields.map { Self.lowercased($0.name) }
        // Sorting positions by (name, arrival) puts repeats side by side in arrival order.
        let order = names.indices.sorted { names[$0] == names[$1] ? $0 < $1 : names[$0] < names[$1] }
        var writer = JSONWriter(capacity: 64 * fields.count + 2)
        writer.object { object in
            var next = 0
            while next < order.count {
                let name = names[order[next]]
                var value = fields[order[next]].value
                next += 1
                while next < order.count, names[order[next]] == name {
                    value += ", " + fields[order[next]].value
                    next += 1
                }
                object.field(name, value)
            }
        }
        return writer.text
    }

    /// Header names are nearly always lowercase ASCII already (HTTP/2 requires it): keep
    /// those as they are instead of allocating a lowercased copy.
    private static func lowercased(_ name: String) -> String {
        let isLowercaseASCII = name.utf8.allSatisfy { $0 < 0x80 && $0 &- UInt8(ascii: "A") >= 26 }
        return isLowercaseASCII ? name : name.lowercased()
    }
}
