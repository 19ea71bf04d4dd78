import Foundation
import RenumCore

extension JSONValue {
    /// An id as text: strings as they are, whole numbers without a fraction (Telegram's
    /// ids are JSON numbers; they fit a Double exactly up to 2^53).
    var idText: String? {
        switch self {
        case .string(let text): return text
        case .number(let number) where number.rounded() == number && abs(number) < 9.007_199_254_740_992e15:
            return String(Int64(number))
        default: return nil
        }
    }

    /// The elements when this is an array, else none.
    var elements: [JSONValue] { arrayValue ?? [] }

    /// A Unix time in seconds (number or digit string) as an ISO-8601 timestamp.
    var unixTimestamp: String? {
        let seconds: Double?
        switch self {
        case .number(let number): seconds = number
        case .string(let text): seconds = Double(text)
        default: seconds = nil
        }
        return seconds.map { Timestamp.format(Date(timeIntervalSince1970: $0)) }
    }

    /// Parses a request body; bodies are JSON for every platform we accept. Strict
    /// (`JSONParser`): a body with a duplicate key is malformed, not read first-key-wins.
    static func parse(_ rawBody: [UInt8]) throws(NormalizationError) -> JSONValue {
        do {
            return try JSONParser.parse(rawBody)
        } catch {
            throw .malformedJSON
        }
    }
}
