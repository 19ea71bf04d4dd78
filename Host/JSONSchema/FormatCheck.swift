/// Syntax checks for the asserted formats (RFC 3339, RFC 3986, RFC 5321, RFC 4122, RFC 2673/4291).
/// All work on ASCII only, so non-ASCII digits and letters are rejected.
enum FormatCheck {
    private static func digits(_ s: Substring) -> Int? {
        guard !s.isEmpty, s.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int(s)
    }

    private static func isHex(_ c: UInt8) -> Bool {
        (48...57).contains(c) || (65...70).contains(c) || (97...102).contains(c)
    }

    /// full-date: YYYY-MM-DD with a real day of that month.
    static func date(_ s: String) -> Bool { parseDate(Substring(s)) }

    private static func parseDate(_ s: Substring) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = digits(parts[0]), let m = digits(parts[1]), let d = digits(parts[2]),
              (1...12).contains(m), d >= 1 else { return false }
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return d <= days[m - 1]
    }

    /// date-time: full-date "T" time with seconds, optional fraction, and Z or ±HH:MM.
    /// A leap second is accepted only where it falls at 23:59:60 UTC.
    static func dateTime(_ s: String) -> Bool {
        guard let t = s.firstIndex(where: { $0 == "T" || $0 == "t" }), parseDate(s[..<t]) else { return false }
        var time = s[s.index(after: t)...]
        var offsetMinutes = 0
        if time.hasSuffix("Z") || time.hasSuffix("z") {
            time = time.dropLast()
        } else {
            guard let sign = time.lastIndex(where: { $0 == "+" || $0 == "-" }) else { return false }
            let offset = time[time.index(after: sign)...].split(separator: ":", omittingEmptySubsequences: false)
            guard offset.count == 2, offset[0].count == 2, offset[1].count == 2,
                  let oh = digits(offset[0]), let om = digits(offset[1]), oh <= 23, om <= 59 else { return false }
            offsetMinutes = (oh * 60 + om) * (time[sign] == "+" ? 1 : -1)
            time = time[..<sign]
        }
        if let dot = time.firstIndex(of: ".") {
            let fraction = time[time.index(after: dot)...]
            guard !fraction.isEmpty, fraction.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return false }
            time = time[..<dot]
        }
        let hms = time.split(separator: ":", omittingEmptySubsequences: false)
        guard hms.count == 3, hms.allSatisfy({ $0.count == 2 }),
              let h = digits(hms[0]), let m = digits(hms[1]), let sec = digits(hms[2]),
              h <= 23, m <= 59, sec <= 60 else { return false }
        if sec == 60 {
            let utc = ((h * 60 + m - offsetMinutes) % 1440 + 1440) % 1440
            return utc == 23 * 60 + 59
        }
        return true
    }

    /// 8-4-4-4-12 hexadecimal digits.
    static func uuid(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard bytes.count == 36 else { return false }
        for (i, c) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(i) { guard c == UInt8(ascii: "-") else { return false } } else if !isHex(c) { return false }
        }
        return true
    }

    /// Dotted quad, each part 0–255 without leading zeros.
    static func ipv4(_ s: some StringProtocol) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            guard part.count <= 3, let n = digits(Substring(part)), n <= 255 else { return false }
            return part.count == 1 || part.first != "0"
        }
    }

    /// RFC 4291 text form: eight hex groups, one "::" allowed, an IPv4 tail allowed; no zone.
    static func ipv6(_ s: some StringProtocol) -> Bool {
        let text = String(s)
        guard !text.isEmpty, text.utf8.allSatisfy({ isHex($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }) else { return false }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        func groups(_ part: String, allowIPv4: Bool) -> Int? {
            if part.isEmpty { return 0 }
            let items = part.split(separator: ":", omittingEmptySubsequences: false)
            var count = 0
            for (i, item) in items.enumerated() {
                if item.contains(".") {
                    guard allowIPv4, i == items.count - 1, ipv4(item) else { return nil }
                    count += 2
                } else {
                    guard (1...4).contains(item.count) else { return nil }
                    count += 1
                }
            }
            return count
        }
        if halves.count == 1 { return groups(text, allowIPv4: true) == 8 }
        guard let a = groups(halves[0], allowIPv4: false), let b = groups(halves[1], allowIPv4: true) else { return false }
        return a + b <= 7
    }

    /// addr-spec: a dot-atom or quoted local part, "@", and a hostname or an address literal.
    static func email(_ s: String) -> Bool {
        guard let at = s.lastIndex(of: "@") else { return false }
        let local = s[..<at], domain = s[s.index(after: at)...]
        guard !local.isEmpty, !domain.isEmpty, s.unicodeScalars.allSatisfy({ $0.isASCII }) else { return false }
        if local.hasPrefix("\"") {
            guard local.count >= 2, local.hasSuffix("\"") else { return false }
        } else {
            let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~")
            let atoms = local.split(separator: ".", omittingEmptySubsequences: false)
            guard atoms.allSatisfy({ !$0.isEmpty && $0.allSatisfy(atext.contains) }) else { return false }
        }
        if domain.hasPrefix("[") {
            guard domain.hasSuffix("]") else { return false }
            let literal = domain.dropFirst().dropLast()
            if literal.hasPrefix("IPv6:") { return ipv6(literal.dropFirst(5)) }
            return ipv4(literal)
        }
        return hostname(domain)
    }

    /// LDH labels of 1–63 characters, not starting or ending with "-".
    static func hostname(_ s: Substring) -> Bool {
        guard s.utf8.count <= 253 else { return false }
        let labels = s.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            (1...63).contains(label.count) && label.first != "-" && label.last != "-"
                && label.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
        }
    }

    /// An absolute URI (RFC 3986 §3): scheme, then only URI characters with valid
    /// percent-escapes, brackets only around an IP literal host, a numeric port.
    static func uri(_ s: String) -> Bool {
        guard let colon = s.firstIndex(of: ":") else { return false }
        let scheme = s[..<colon]
        guard let first = scheme.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic,
              scheme.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0)) })
        else { return false }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?#[]@!$&'()*+,;=%".utf8)
        let bytes = Array(s.utf8)
        var i = 0
        while i < bytes.count {
            guard allowed.contains(bytes[i]) else { return false }
            if bytes[i] == UInt8(ascii: "%") {
                guard i + 2 < bytes.count, isHex(bytes[i + 1]), isHex(bytes[i + 2]) else { return false }
                i += 2
            }
            i += 1
        }
        guard s.filter({ $0 == "#" }).count <= 1 else { return false }
        var rest = s[s.index(after: colon)...]
        if let end = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        guard rest.hasPrefix("//") else { return !rest.contains("[") && !rest.contains("]") }
        let afterSlashes = rest.dropFirst(2)
        let authority = afterSlashes[..<(afterSlashes.firstIndex(of: "/") ?? afterSlashes.endIndex)]
        guard !afterSlashes[authority.endIndex...].contains("["), !afterSlashes[authority.endIndex...].contains("]") else { return false }
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            guard !authority[..<at].contains("["), !authority[..<at].contains("]") else { return false }
            hostPort = authority[authority.index(after: at)...]
        }
        var port: Substring = ""
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]"), ipv6(hostPort[hostPort.index(after: hostPort.startIndex)..<close]) else { return false }
            port = hostPort[hostPort.index(after: close)...]
            guard port.isEmpty || port.hasPrefix(":") else { return false }
        } else {
            guard !hostPort.contains("["), !hostPort.contains("]") else { return false }
            if let c = hostPort.firstIndex(of: ":") { port = hostPort[c...] }
        }
        if !port.isEmpty {
            let number = port.dropFirst()
            guard number.isEmpty || number.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return false }
        }
        return true
    }
}
