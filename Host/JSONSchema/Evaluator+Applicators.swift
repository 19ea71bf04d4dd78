import RenumCore

extension Evaluator {
    /// Keywords that apply subschemas, to children of the instance or to the instance itself.
    func evaluateApplicator(_ keyword: Keyword, _ name: String, _ node: Node, _ instance: JSONValue,
                            _ local: inout Annotations) -> Bool {
        switch keyword {
        case .properties(let schemas):
            guard case .object(let o) = instance else { return true }
            var valid = true
            // Iterate the smaller side: instances are often much smaller than their schema.
            for (key, value) in o {
                guard let sub = schemas[key] else { continue }
                if tracking { local.properties.insert(key) }
                if !child(sub, key, value) {
                    valid = false
                    if !recording { return false }
                }
            }
            return valid
        case .patternProperties(let patterns):
            guard case .object(let o) = instance else { return true }
            var valid = true
            for (key, value) in o {
                for (pattern, sub) in patterns where pattern.matches(key) {
                    if tracking { local.properties.insert(key) }
                    if !child(sub, key, value) {
                        valid = false
                        if !recording { return false }
                    }
                }
            }
            return valid
        case .additionalProperties(let sub, let known, let patterns):
            guard case .object(let o) = instance else { return true }
            var valid = true
            for (key, value) in o where !known.contains(key) && !patterns.contains(where: { $0.matches(key) }) {
                if !child(sub, key, value) {
                    valid = false
                    if !recording { return false }
                }
            }
            if tracking { local.allProperties = true }
            return valid
        case .unevaluatedProperties(let sub):
            guard case .object(let o) = instance else { return true }
            var valid = true
            if !local.allProperties {
                for (key, value) in o where !local.properties.contains(key) {
                    if !child(sub, key, value) {
                        valid = false
                        if !recording { return false }
                    }
                }
            }
            local.allProperties = true
            return valid
        case .propertyNames(let sub):
            guard case .object(let o) = instance else { return true }
            var valid = true
            for key in o.keys {
                if !child(sub, key, .string(key)) {
                    valid = false
                    if !recording { return false }
                }
            }
            return valid
        case .dependentSchemas(let deps):
            guard case .object(let o) = instance else { return true }
            var valid = true
            for (trigger, sub) in deps where o[trigger] != nil && !evaluate(sub, instance, &local) {
                valid = false
                if !recording { return false }
            }
            return valid
        case .prefixItems(let subs):
            guard case .array(let a) = instance else { return true }
            var valid = true
            for (i, sub) in zip(a.indices, subs) where !child(sub, String(i), a[i]) {
                valid = false
                if !recording { return false }
            }
            if tracking { local.items = max(local.items, min(a.count, subs.count)) }
            return valid
        case .items(let sub, let from):
            guard case .array(let a) = instance, a.count > from else { return true }
            var valid = true
            for i in from..<a.count where !child(sub, String(i), a[i]) {
                valid = false
                if !recording { return false }
            }
            if tracking { local.allItems = true }
            return valid
        case .unevaluatedItems(let sub):
            guard case .array(let a) = instance else { return true }
            var valid = true
            if !local.allItems {
                for i in local.items..<max(local.items, a.count) where !local.containsIndices.contains(i) {
                    if !child(sub, String(i), a[i]) {
                        valid = false
                        if !recording { return false }
                    }
                }
            }
            local.allItems = true
            return valid
        case .contains(let sub, let minimum, let maximum):
            guard case .array(let a) = instance else { return true }
            var matched = 0
            muted += 1
            for (i, item) in a.enumerated() where child(sub, String(i), item) {
                matched += 1
                if tracking { local.containsIndices.insert(i) }
            }
            muted -= 1
            if matched < minimum {
                report(node, minimum == 1 ? name : "minContains",
                       "must contain at least \(minimum) matching item\(minimum == 1 ? "" : "s"), found \(matched)")
                return false
            }
            if let maximum, matched > maximum {
                report(node, "maxContains", "must contain at most \(maximum) matching item\(maximum == 1 ? "" : "s"), found \(matched)")
                return false
            }
            return true
        case .allOf(let subs):
            var valid = true
            for sub in subs where !evaluate(sub, instance, &local) {
                valid = false
                if !recording { return false }
            }
            return valid
        case .anyOf(let subs):
            var valid = false
            for sub in subs where silently(sub, instance, &local) {
                valid = true
                // Later branches only matter for the annotations they would add.
                if !tracking { break }
            }
            if !valid { report(node, name, "must match at least one schema in anyOf") }
            return valid
        case .oneOf(let subs):
            var matches: [Int] = []
            var scratch = Annotations()
            for (i, sub) in subs.enumerated() {
                var branch = Annotations()
                if silently(sub, instance, &branch) {
                    matches.append(i)
                    scratch.merge(branch)
                    if matches.count > 1 && !recording { return false }
                }
            }
            if matches.count == 1 {
                if tracking { local.merge(scratch) }
                return true
            }
            report(node, name, matches.isEmpty ? "must match exactly one schema in oneOf, but matches none"
                : "must match exactly one schema in oneOf, but matches schemas \(matches.map(String.init).joined(separator: ", "))")
            return false
        case .not(let sub):
            var ignored = Annotations()
            guard silently(sub, instance, &ignored) else { return true }
            report(node, name, "must not match the schema in not")
            return false
        case .conditional(let ifNode, let thenNode, let elseNode):
            if silently(ifNode, instance, &local) {
                guard let thenNode, !evaluate(thenNode, instance, &local) else { return true }
                report(node, "then", "must match the then schema, because it matches the if schema")
                return false
            }
            guard let elseNode, !evaluate(elseNode, instance, &local) else { return true }
            report(node, "else", "must match the else schema, because it does not match the if schema")
            return false
        case .ref(let target):
            return evaluate(target, instance, &local)
        case .dynamicRef(let target, let anchor):
            var resolved = target
            if let anchor {
                // The outermost resource in scope that declares the anchor wins (2020-12 §8.2.3.2).
                for r in scope {
                    if let n = schema.resources[r].dynamicAnchors[anchor] {
                        resolved = n
                        break
                    }
                }
            }
            return evaluate(resolved, instance, &local)
        default:
            return true
        }
    }
}
