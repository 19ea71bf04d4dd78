/// A Semantic Versioning 2.0.0 version: MAJOR.MINOR.PATCH[-prerelease][+build].
///
/// Ordering follows semver §11: numeric fields, then a version with a prerelease sorts
/// before the same version without one, prerelease identifiers compare numerically when
/// both are numeric, numeric identifiers sort before alphanumeric ones, and a longer
/// list wins a tie. Build metadata is ignored for ordering but kept for equality of text.
public struct SemanticVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// MAJOR: incompatible changes.
    public let major: UInt64
    /// MINOR: compatible additions.
    public let minor: UInt64
    /// PATCH: compatible fixes.
    public let patch: UInt64
    /// Dot-separated prerelease identifiers (empty for a release).
    public let prerelease: [String]
    /// Dot-separated build metadata identifiers.
    public let build: [String]

    /// Parses semver text strictly (no leading 'v', no leading zeros in numbers); nil when invalid.
    public init?(_ text: String) {
        var rest = Substring(text)
        var build: [String] = []
        if let plus = rest.firstIndex(of: "+") {
            build = rest[rest.index(after: plus)...].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard build.allSatisfy({ !$0.isEmpty && $0.allSatisfy(Self.isIdentifierCharacter) }) else { return nil }
            rest = rest[..<plus]
        }
        var prerelease: [String] = []
        if let dash = rest.firstIndex(of: "-") {
            prerelease = rest[rest.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard prerelease.allSatisfy({ !$0.isEmpty && $0.allSatisfy(Self.isIdentifierCharacter)
                && !(Self.isNumeric($0) && $0.count > 1 && $0.hasPrefix("0")) }) else { return nil }
            rest = rest[..<dash]
        }
        let core = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard core.count == 3 else { return nil }
        var numbers: [UInt64] = []
        for part in core {
            guard !part.isEmpty, Self.isNumeric(part), !(part.count > 1 && part.hasPrefix("0")),
                  let number = UInt64(part) else { return nil }
            numbers.append(number)
        }
        self.init(major: numbers[0], minor: numbers[1], patch: numbers[2], prerelease: prerelease, build: build)
    }

    /// Builds a version from its parts (identifiers are not checked).
    public init(major: UInt64, minor: UInt64, patch: UInt64, prerelease: [String] = [], build: [String] = []) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
        self.build = build
    }

    /// The canonical text, e.g. "1.2.3-rc.1+build.5".
    public var description: String {
        var text = "\(major).\(minor).\(patch)"
        if !prerelease.isEmpty { text += "-" + prerelease.joined(separator: ".") }
        if !build.isEmpty { text += "+" + build.joined(separator: ".") }
        return text
    }

    /// Semver precedence (build metadata ignored).
    public static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        if lhs.major != rhs.major { return lhs.major < rhs.major }
        if lhs.minor != rhs.minor { return lhs.minor < rhs.minor }
        if lhs.patch != rhs.patch { return lhs.patch < rhs.patch }
        switch (lhs.prerelease.isEmpty, rhs.prerelease.isEmpty) {
        case (true, true): return false
        case (true, false): return false
        case (false, true): return true
        case (false, false): break
        }
        for (a, b) in zip(lhs.prerelease, rhs.prerelease) where a != b {
            switch (UInt64(a), UInt64(b)) {
            case let (x?, y?): return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            case (nil, nil): return a < b
            }
        }
        return lhs.prerelease.count < rhs.prerelease.count
    }

    static func isIdentifierCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "-")
    }

    static func isNumeric(_ s: some StringProtocol) -> Bool { s.allSatisfy { $0.isASCII && $0.isNumber } }
}
