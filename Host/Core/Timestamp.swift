import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// UTC ISO-8601 timestamps, the one textual time format Renum stores and sends.
///
/// Formatting goes through `gmtime_r` rather than a Foundation formatter: it runs
/// on every response and every stored row, and needs no shared mutable state.
public enum Timestamp {
    /// `2026-12-04T19:53:09.123Z` (milliseconds, always UTC, always the same width).
    public static func format(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        var whole = time_t(seconds.rounded(.down))
        var millis = Int(((seconds - Double(whole)) * 1000).rounded(.down))
        if millis >= 1000 { whole += 1; millis -= 1000 }
        var parts = tm()
        gmtime_r(&whole, &parts)
        let fields: [(Int, Int, UInt8?)] = [
            (Int(parts.tm_year) + 1900, 4, UInt8(ascii: "-")), (Int(parts.tm_mon) + 1, 2, UInt8(ascii: "-")),
            (Int(parts.tm_mday), 2, UInt8(ascii: "T")), (Int(parts.tm_hour), 2, UInt8(ascii: ":")),
            (Int(parts.tm_min), 2, UInt8(ascii: ":")), (Int(parts.tm_sec), 2, UInt8(ascii: ".")), (millis, 3, UInt8(ascii: "Z")),
        ]
        return String(unsafeUninitializedCapacity: 24) { out in
            var position = 0
            for (value, width, separator) in fields {
                var remaining = value
                for offset in stride(from: width - 1, through: 0, by: -1) {
                    out[position + offset] = UInt8(ascii: "0") + UInt8(remaining % 10)
                    remaining /= 10
                }
                position += width
                if let separator { out[position] = separator; position += 1 }
            }
            return position
        }
    }

    /// The current time, formatted.
    public static func now() -> String { format(Date()) }

    /// Parses an RFC 3339 / ISO-8601 timestamp with a zone (`Z` or `±hh:mm`), with or
    /// without fractional seconds. Returns nil for anything else.
    public static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) {
            return date
        }
        return try? Date(text, strategy: Date.ISO8601FormatStyle())
    }
}
