import Foundation

/// One setting of a command: its flag, its environment variable, its default and what it does.
struct OptionSpec: Sendable {
    let flag: String
    let environment: String?
    let valueName: String?
    let defaultText: String
    let help: String

    /// A boolean switch takes no value.
    var isSwitch: Bool { valueName == nil }
}

/// Parses `--flag value`, `--flag=value` and switches, with environment variables as fallback.
///
/// Flags win over the environment, the environment wins over defaults. Unknown flags and
/// missing values are errors: a typo must not silently fall back to a default.
struct ParsedOptions: Sendable {
    private var values: [String: String] = [:]
    private var switches: Set<String> = []

    init(arguments: [String], specs: [OptionSpec], environment: [String: String]) throws(ConfigurationError) {
        var index = 0
        let byFlag = Dictionary(uniqueKeysWithValues: specs.map { ($0.flag, $0) })
        while index < arguments.count {
            let argument = arguments[index]
            guard argument.hasPrefix("--") else { throw ConfigurationError("unexpected argument '\(argument)'") }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let spec = byFlag[name] else { throw ConfigurationError("unknown option --\(name)") }
            if spec.isSwitch {
                guard inlineValue == nil else { throw ConfigurationError("--\(name) takes no value") }
                switches.insert(name)
            } else if let inlineValue {
                values[name] = inlineValue
            } else {
                index += 1
                guard index < arguments.count else { throw ConfigurationError("--\(name) needs a value (\(spec.valueName!))") }
                values[name] = arguments[index]
            }
            index += 1
        }
        for spec in specs where values[spec.flag] == nil {
            if let variable = spec.environment, let value = environment[variable], !value.isEmpty {
                values[spec.flag] = value
            }
        }
    }

    func string(_ flag: String) -> String? { values[flag] }

    func isSet(_ flag: String) -> Bool { switches.contains(flag) }

    func int(_ flag: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        guard let text = values[flag] else { return nil }
        guard let number = Int(text), range.contains(number) else {
            throw ConfigurationError("--\(flag) must be an integer from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
        }
        return number
    }

    /// The help text block listing every option.
    static func help(for specs: [OptionSpec]) -> String {
        specs.map { spec in
            var left = "  --\(spec.flag)" + (spec.valueName.map { " \($0)" } ?? "")
            left = left.padding(toLength: max(left.count, 34), withPad: " ", startingAt: 0)
            var line = left + " " + spec.help
            var notes: [String] = []
            if let variable = spec.environment { notes.append("env \(variable)") }
            if !spec.defaultText.isEmpty { notes.append("default \(spec.defaultText)") }
            if !notes.isEmpty { line += " (" + notes.joined(separator: "; ") + ")" }
            return line
        }.joined(separator: "\n")
    }
}
