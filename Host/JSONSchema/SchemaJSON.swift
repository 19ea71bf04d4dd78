import RenumCore

/// JSON Schema's view of JSON values: types, numbers, and compact text for messages.
enum SchemaJSON {
    /// True for numbers with no fractional part; 2020-12 counts 1.0 as an integer.
    static func isInteger(_ n: Double) -> Bool { n.isFinite && n.rounded(.towardZero) == n }

    static func matches(_ set: TypeSet, _ value: JSONValue) -> Bool {
        switch value {
        case .null: return set.contains(.null)
        case .bool: return set.contains(.boolean)
        case .number(let n): return set.contains(.number) || (set.contains(.integer) && isInteger(n))
        case .string: return set.contains(.string)
        case .array: return set.contains(.array)
        case .object: return set.contains(.object)
        }
    }

    /// The type name used in messages ("integer" for whole numbers).
    static func typeName(_ value: JSONValue) -> String {
        if case .number(let n) = value { return isInteger(n) ? "integer" : "number" }
        return value.typeName
    }

    /// `value` is an integer multiple of `divisor`. Exact for integers; otherwise the quotient
    /// must be within rounding error of a whole number, so 0.0075 is a multiple of 0.0001.
    static func isMultiple(_ value: Double, of divisor: Double) -> Bool {
        if isInteger(value), isInteger(divisor), abs(value) < 9.0e15, abs(divisor) < 9.0e15 {
            return Int64(value) % Int64(divisor) == 0
        }
        let quotient = value / divisor
        // 1e308 / 0.5 overflows; an integer is still a multiple of any 1/k.
        if !quotient.isFinite { return isInteger(value) && isInteger(1 / divisor) }
        let error = abs(quotient - quotient.rounded())
        return error <= max(1e-9, quotient.ulp * 4)
    }

    /// A number as JSON would write it: whole numbers without ".0".
    static func number(_ n: Double) -> String {
        if isInteger(n), abs(n) < 1e17 { return String(Int64(n)) }
        return String(n)
    }

    /// Compact JSON text with sorted keys, for messages.
    static func compact(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return number(n)
        case .string(let s): return quoted(s)
        case .array(let items): return "[" + items.map(compact).joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.keys.sorted().map { quoted($0) + ":" + compact(members[$0]!) }.joined(separator: ",") + "}"
        }
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
