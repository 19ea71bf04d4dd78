import Foundation
import RenumCore

extension EgressRequest {
    /// Parses the plugin ABI's request JSON:
    /// `{"method", "url", "headers": {name: value}, "body": "text", "body_base64": "…", "timeout_ms": n}`.
    ///
    /// Only `url` is required; `method` defaults to GET. Strict: unknown keys, wrong types,
    /// both `body` and `body_base64`, bad base64, or a non-positive timeout are `.invalidRequest`.
    public init(json: [UInt8]) throws(EgressError) {
        guard json.count <= 32 << 20 else { throw EgressError(.invalidRequest, "request JSON too large") }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(json)),
              let object = value.objectValue
        else { throw EgressError(.invalidRequest, "request is not a JSON object") }
        let known: Set<String> = ["method", "url", "headers", "body", "body_base64", "timeout_ms"]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw EgressError(.invalidRequest, "unknown request field \"\(unknown)\"")
        }

        func string(_ key: String) throws(EgressError) -> String? {
            guard let field = object[key], field != .null else { return nil }
            guard let text = field.stringValue else { throw EgressError(.invalidRequest, "\(key) must be a string") }
            return text
        }

        guard let url = try string("url") else { throw EgressError(.invalidRequest, "url is required") }
        let method = try string("method") ?? "GET"

        var headers: [(String, String)] = []
        if let field = object["headers"], field != .null {
            guard let members = field.objectValue else { throw EgressError(.invalidRequest, "headers must be an object") }
            for name in members.keys.sorted() {
                guard let value = members[name]?.stringValue else {
                    throw EgressError(.invalidRequest, "header values must be strings")
                }
                headers.append((name, value))
            }
        }

        var body: [UInt8] = []
        let text = try string("body"), base64 = try string("body_base64")
        switch (text, base64) {
        case (let text?, nil): body = Array(text.utf8)
        case (nil, let base64?):
            guard let data = Data(base64Encoded: base64) else { throw EgressError(.invalidRequest, "body_base64 is not base64") }
            body = Array(data)
        case (nil, nil): break
        case (_?, _?): throw EgressError(.invalidRequest, "give body or body_base64, not both")
        }

        var timeout = EgressRequest.defaultTimeoutMilliseconds
        if let field = object["timeout_ms"], field != .null {
            guard let number = field.numberValue, number == number.rounded(), number >= 1, number <= 1e9 else {
                throw EgressError(.invalidRequest, "timeout_ms must be a positive integer")
            }
            timeout = min(Int(number), EgressRequest.maxTimeoutMilliseconds)
        }
        self.init(method: method, url: url, headers: headers, body: body, timeoutMilliseconds: timeout)
    }
}
