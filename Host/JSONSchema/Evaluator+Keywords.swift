import RenumCore

extension Evaluator {
    /// Evaluates one keyword; keywords that do not apply to the instance's type pass.
    func evaluate(_ keyword: Keyword, _ name: String, _ node: Node, _ instance: JSONValue,
                  _ local: inout Annotations) -> Bool {
        switch keyword {
        case .type(let set, let names):
            if SchemaJSON.matches(set, instance) { return true }
            report(node, name, "must be \(names.joined(separator: " or ")), not \(SchemaJSON.typeName(instance))")
            return false
        case .enumeration(let values):
            if values.contains(where: { JSONEquality.equal($0, instance) }) { return true }
            report(node, name, "is not one of \(SchemaJSON.compact(.array(values)))")
            return false
        case .const(let value):
            if JSONEquality.equal(value, instance) { return true }
            report(node, name, "must be equal to \(SchemaJSON.compact(value))")
            return false
        case .format(let format):
            guard case .string(let s) = instance, !format.accepts(s) else { return true }
            report(node, name, "is not a valid \(format.rawValue)")
            return false
        case .minLength(let n):
            guard case .string(let s) = instance, s.unicodeScalars.count < n else { return true }
            report(node, name, "must be at least \(n) character\(n == 1 ? "" : "s") long")
            return false
        case .maxLength(let n):
            guard case .string(let s) = instance, s.unicodeScalars.count > n else { return true }
            report(node, name, "must be at most \(n) character\(n == 1 ? "" : "s") long")
            return false
        case .pattern(let p):
            guard case .string(let s) = instance, !p.matches(s) else { return true }
            report(node, name, "must match the pattern \(SchemaJSON.compact(.string(p.source)))")
            return false
        case .minimum(let limit):
            guard case .number(let n) = instance, n < limit else { return true }
            report(node, name, "must be greater than or equal to \(SchemaJSON.number(limit))")
            return false
        case .maximum(let limit):
            guard case .number(let n) = instance, n > limit else { return true }
            report(node, name, "must be less than or equal to \(SchemaJSON.number(limit))")
            return false
        case .exclusiveMinimum(let limit):
            guard case .number(let n) = instance, n <= limit else { return true }
            report(node, name, "must be greater than \(SchemaJSON.number(limit))")
            return false
        case .exclusiveMaximum(let limit):
            guard case .number(let n) = instance, n >= limit else { return true }
            report(node, name, "must be less than \(SchemaJSON.number(limit))")
            return false
        case .multipleOf(let divisor):
            guard case .number(let n) = instance, !SchemaJSON.isMultiple(n, of: divisor) else { return true }
            report(node, name, "must be a multiple of \(SchemaJSON.number(divisor))")
            return false
        case .minItems(let n):
            guard case .array(let a) = instance, a.count < n else { return true }
            report(node, name, "must have at least \(n) item\(n == 1 ? "" : "s")")
            return false
        case .maxItems(let n):
            guard case .array(let a) = instance, a.count > n else { return true }
            report(node, name, "must have at most \(n) item\(n == 1 ? "" : "s")")
            return false
        case .uniqueItems:
            guard case .array(let a) = instance else { return true }
            var seen: [JSONEquality.Key: Int] = [:]
            for (i, item) in a.enumerated() {
                if let first = seen[JSONEquality.Key(value: item)] {
                    report(node, name, "must not contain duplicate items (items \(first) and \(i) are equal)")
                    return false
                }
                seen[JSONEquality.Key(value: item)] = i
            }
            return true
        case .minProperties(let n):
            guard case .object(let o) = instance, o.count < n else { return true }
            report(node, name, "must have at least \(n) propert\(n == 1 ? "y" : "ies")")
            return false
        case .maxProperties(let n):
            guard case .object(let o) = instance, o.count > n else { return true }
            report(node, name, "must have at most \(n) propert\(n == 1 ? "y" : "ies")")
            return false
        case .required(let names):
            guard case .object(let o) = instance else { return true }
            var valid = true
            for key in names where o[key] == nil {
                valid = false
                guard recording else { return false }
                report(node, name, "required property '\(key)' is missing")
            }
            return valid
        case .dependentRequired(let deps):
            guard case .object(let o) = instance else { return true }
            var valid = true
            for (trigger, needed) in deps where o[trigger] != nil {
                for key in needed where o[key] == nil {
                    valid = false
                    guard recording else { return false }
                    report(node, name, "property '\(key)' is required when '\(trigger)' is present")
                }
            }
            return valid
        default:
            return evaluateApplicator(keyword, name, node, instance, &local)
        }
    }
}
