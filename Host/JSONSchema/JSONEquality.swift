import RenumCore

/// JSON Schema equality: strings compare by code points (Swift's `==` on String would treat
/// "é" and "e\u{301}" as equal), numbers by value (1 == 1.0), objects regardless of order.
enum JSONEquality {
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x.unicodeScalars.elementsEqual(y.unicodeScalars)
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { equal(value, $0) } ?? false }
        default: return false
        }
    }

    /// A hashable wrapper with this equality, for duplicate detection in `uniqueItems`.
    struct Key: Hashable {
        let value: JSONValue

        static func == (a: Key, b: Key) -> Bool { equal(a.value, b.value) }

        func hash(into hasher: inout Hasher) { Self.feed(value, &hasher) }

        private static func feed(_ v: JSONValue, _ hasher: inout Hasher) {
            switch v {
            case .null: hasher.combine(0)
            case .bool(let b): hasher.combine(1); hasher.combine(b)
            case .number(let n): hasher.combine(2); hasher.combine(n)
            case .string(let s):
                hasher.combine(3)
                for scalar in s.unicodeScalars { hasher.combine(scalar.value) }
            case .array(let items):
                hasher.combine(4)
                hasher.combine(items.count)
                for item in items { feed(item, &hasher) }
            case .object(let members):
                // Order-independent: combine the members' own hashes commutatively.
                hasher.combine(5)
                var sum = 0
                for (key, value) in members {
                    var h = Hasher()
                    for scalar in key.unicodeScalars { h.combine(scalar.value) }
                    feed(value, &h)
                    sum &+= h.finalize()
                }
                hasher.combine(sum)
            }
        }
    }
}
