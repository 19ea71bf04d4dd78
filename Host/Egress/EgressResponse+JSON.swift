import Foundation
import RenumCore

extension EgressResponse {
    /// The plugin ABI's response JSON: `{"status", "headers": {name: value}, "body"}`, with
    /// `body_base64` instead of `body` when the body is not valid UTF-8.
    ///
    /// Header names are lowercased; repeated fields are joined with ", ".
    public func json() -> [UInt8] {
        var merged: [(String, String)] = []
        var index: [String: Int] = [:]
        for (name, value) in headers {
            let key = name.lowercased()
            if let at = index[key] {
                merged[at].1 += ", " + value
            } else {
                index[key] = merged.count
                merged.append((key, value))
            }
        }
        var writer = JSONWriter(capacity: body.count + 256)
        writer.object { w in
            w.field("status", status)
            w.key("headers")
            w.object { h in
                for (name, value) in merged { h.field(name, value) }
            }
            if let text = String(validating: body, as: UTF8.self) {
                w.field("body", text)
            } else {
                w.field("body_base64", Data(body).base64EncodedString())
            }
        }
        return writer.bytes
    }
}
