import RenumCore
import RenumManifest

/// Body sizes of HTTP request/response JSON, for egress metering.
enum EgressSize {
    /// UTF-8 length of "body", or the decoded length of "body_base64"; 0 when absent or not JSON.
    static func bodyBytes(of json: [UInt8]) -> Int {
        guard let value = try? JSONParser.parse(json) else { return 0 }
        if let body = value["body"]?.stringValue { return body.utf8.count }
        if let encoded = value["body_base64"]?.stringValue {
            let padding = encoded.reversed().prefix(while: { $0 == "=" }).count
            return max(0, encoded.utf8.count / 4 * 3 - padding)
        }
        return 0
    }
}
