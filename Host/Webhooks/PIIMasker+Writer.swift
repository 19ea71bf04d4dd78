import RenumCore

extension PIIMasker {
    /// Writes `value` masked, as `writer.value(mask(value))` would, without building the
    /// masked copy: no dictionary is rebuilt and strings with nothing to mask are written
    /// as they are. Object keys come out sorted, as `JSONWriter.value` writes them.
    public func writeMasked(_ value: JSONValue, to writer: inout JSONWriter) {
        write(value, category: .ordinary, underPersonalKey: false, to: &writer)
    }

    private func write(_ value: JSONValue, category: SensitiveKeys.Category, underPersonalKey: Bool,
                       to writer: inout JSONWriter) {
        switch step(value, category: category, underPersonalKey: underPersonalKey) {
        case .leaf(let masked):
            writer.value(masked)
        case .object(let members, let personal):
            writer.object { writer in
                // Most objects in provider payloads have one or two members: put those in
                // order without building a sorted array.
                if members.count <= 2 {
                    var iterator = members.makeIterator()
                    guard let first = iterator.next() else { return }
                    guard let second = iterator.next() else {
                        return writeMember(first.key, first.value, underPersonalKey: personal, to: &writer)
                    }
                    let (earlier, later) = first.key < second.key ? (first, second) : (second, first)
                    writeMember(earlier.key, earlier.value, underPersonalKey: personal, to: &writer)
                    writeMember(later.key, later.value, underPersonalKey: personal, to: &writer)
                } else {
                    for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                        writeMember(name, member, underPersonalKey: personal, to: &writer)
                    }
                }
            }
        case .array(let items, let personal):
            writer.array(items) { writer, item in
                write(item, category: category, underPersonalKey: personal, to: &writer)
            }
        }
    }

    private func writeMember(_ name: String, _ value: JSONValue, underPersonalKey: Bool, to writer: inout JSONWriter) {
        writer.key(name)
        write(value, category: SensitiveKeys.category(name), underPersonalKey: underPersonalKey, to: &writer)
    }

    /// What masking does with one value. Both `mask` and `writeMasked` walk the tree
    /// through this, so the two cannot drift apart.
    enum Step {
        /// The value's masked form (often the value itself); nothing below it to visit.
        case leaf(JSONValue)
        /// Members to mask under their own keys' categories.
        case object([String: JSONValue], personal: Bool)
        /// Items to mask under the same key as the array (`"to": ["…", "…"]` is personal throughout).
        case array([JSONValue], personal: Bool)
    }

    /// The step for `value` found under a key of `category`; `underPersonalKey` when an
    /// enclosing key was personal (everything under `profile` is).
    func step(_ value: JSONValue, category: SensitiveKeys.Category, underPersonalKey: Bool) -> Step {
        switch category {
        case .secret:
            if case .null = value { return .leaf(.null) }
            return .leaf(.string(Self.redacted))
        case .keepDigits:
            // Unix times are digit runs too; they are not personal and the log needs them.
            if case .string(let text) = value, Self.isASCIIDigits(text) { return .leaf(value) }
        case .personal, .ordinary:
            break
        }
        let personal = underPersonalKey || category == .personal
        switch value {
        case .object(let members):
            return .object(members, personal: personal)
        case .array(let items):
            return .array(items, personal: personal)
        case .string(let text):
            return .leaf(.string(personal ? TextMasking.maskWhole(text) : TextMasking.maskText(text)))
        case .number(let number):
            guard personal else { return .leaf(value) }
            let digits = number.rounded() == number && abs(number) < 1e18 ? String(Int64(number)) : String(number)
            return .leaf(.string(TextMasking.maskWhole(digits)))
        case .null, .bool:
            return .leaf(value)
        }
    }

    /// Every character an ASCII digit (true for ""). A digit followed by a combining mark
    /// is one non-ASCII character, and its bytes are not all digits either.
    private static func isASCIIDigits(_ text: String) -> Bool {
        text.utf8.allSatisfy { TextBytes.isDigit($0) }
    }
}
