// sa-http-generic: one HTTP request through the host's egress, for Zapier/n8n/Make hooks and
// any HTTP API the host's policy allows. The host, not this plugin, decides what may be reached.
import Foundation
import RenumPluginSDK

@_cdecl("renum_plugin_entry")
public func renumPluginEntry() -> UnsafeRawPointer { RenumPluginExport.descriptor(for: HTTPGenericPlugin.self) }

struct HTTPGenericPlugin: RenumPlugin {
    /// Must equal manifests/sa-http-generic.json (the host refuses the plugin otherwise; a test compares them).
    static let manifest = HTTPGenericManifest.text

    init(configuration: PluginConfiguration, host: PluginHost) throws {}

    struct Input: Decodable {
        var method: String?
        var url: String
        var headers: [String: String]?
        var json: JSONValue?
        var body: String?
        var timeout_ms: Int?
    }

    struct Output: Encodable {
        var status: Int
        var headers: [String: String]
        var json: JSONValue?
        var body: String?
    }

    func capabilities() -> [Capability] {
        [.typed("http_request") { (input: Input, context: CallContext) -> Output in
            var headers = input.headers ?? [:]
            var body = input.body
            if let json = input.json {
                body = String(decoding: try JSONEncoder().encode(json), as: UTF8.self)
                if !headers.keys.contains(where: { $0.lowercased() == "content-type" }) {
                    headers["Content-Type"] = "application/json"
                }
            }
            let request = HTTPRequest(method: input.method ?? "GET", url: input.url, headers: headers, body: body,
                                      timeoutMs: input.timeout_ms ?? 10_000)
            let response: HTTPResponse
            do {
                response = try context.http(request)
            } catch let error as HostError {
                // The host's refusal (policy, SSRF guard, timeout) keeps its own code.
                throw PluginError(code: error.pluginCode, message: error.message)
            }
            context.meter("http_request", 1)
            let data = response.bodyData
            let contentType = response.headers.first { $0.key.lowercased() == "content-type" }?.value.lowercased() ?? ""
            if contentType.contains("json"), let parsed = try? JSONDecoder().decode(JSONValue.self, from: data) {
                return Output(status: response.status, headers: response.headers, json: parsed, body: nil)
            }
            return Output(status: response.status, headers: response.headers, json: nil,
                          body: data.isEmpty ? nil : String(decoding: data, as: UTF8.self))
        }]
    }
}
