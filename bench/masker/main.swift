// masker-bench: ns per call of PIIMasker on a realistic WhatsApp Cloud API delivery (~1 KB),
// the webhook ingestion hot path. Built by bench/masker.sh straight with swiftc -O, so no
// release build of the whole package is needed. Old sources (before `writeMasked`) build
// too: the script defines HAS_WRITE_MASKED only when the API exists.
import Foundation
import RenumCore

let whatsappMessage = """
{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{\
"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},\
"contacts":[{"profile":{"name":"Joana Silva"},"wa_id":"5511987654321"}],\
"messages":[{"context":{"from":"15550783881","id":"wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjk4QTAyQzE1RkM2OTIxRDM0AA=="},\
"from":"5511987654321","id":"wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFjNFQjBDMEQ5NjI3RjRBOTA1RTg0AA==",\
"timestamp":"1733340000","type":"text","text":{"body":"Oi! Preciso remarcar a entrega do pedido 48213 para amanhã \
à tarde. Meu e-mail é joana.silva@example.com e o fone +55 11 98765-4321, obrigado!"}}]},"field":"messages"}]}]}
"""
let plainText = "Olá, gostaria de saber o horário de funcionamento da loja no sábado, por favor."
let piiText = "Meu e-mail é joana.silva@example.com e o fone +55 11 98765-4321"
let headers = WebhookHeaders([
    (name: "Host", value: "hooks.example.com"), (name: "User-Agent", value: "facebookexternalua"),
    (name: "Content-Length", value: "1024"), (name: "Accept", value: "*/*"),
    (name: "Content-Type", value: "application/json"),
    (name: "X-Hub-Signature", value: "sha1=4c0d3a1f9b2e7d8c6a5b4f3e2d1c0b9a8f7e6d5c"),
    (name: "X-Hub-Signature-256", value: "sha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
    (name: "X-Forwarded-For", value: "173.252.95.1"), (name: "X-Forwarded-Proto", value: "https"),
    (name: "Accept-Encoding", value: "deflate, gzip"),
])

let masker = PIIMasker()
let body = Array(whatsappMessage.utf8)
let parsed = try! JSONParser.parse(body)
let iterations = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 200_000
/// Only the measurements whose name contains this (for profiling one of them).
let only = CommandLine.arguments.dropFirst(2).first

/// Best of five runs of `iterations` calls, in ns per call; the result feeds a sink so
/// the optimizer cannot drop the work.
@inline(never)
func measure(_ name: String, _ body: () -> Int) {
    if let only, !name.contains(only) { return }
    var sink = 0
    var best = Double.infinity
    for _ in 0..<5 {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations { sink &+= body() }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
        best = min(best, elapsed / Double(iterations))
    }
    print(name.padding(toLength: 44, withPad: " ", startingAt: 0), String(format: "%9.0f ns/call", best), sink == 42 ? "" : "")
}

print("payload: \(body.count) bytes, \(iterations) calls per run, best of 5")
measure("JSONParser.parse (reference)") { if case .object(let o) = try! JSONParser.parse(body) { return o.count }; return 0 }
measure("maskedPayloadJSON(raw body)") { masker.maskedPayloadJSON(body).utf8.count }
// The floor for masking into a JSONWriter: writing the payload with no masking at all.
measure("writer.value(parsed), no masking (floor)") {
    var writer = JSONWriter(capacity: body.count + 16)
    writer.value(parsed)
    return writer.bytes.count
}
measure("writer.value(mask(parsed))") {
    var writer = JSONWriter(capacity: body.count + 16)
    writer.value(masker.mask(parsed))
    return writer.bytes.count
}
#if HAS_WRITE_MASKED
measure("writeMasked(parsed)") {
    var writer = JSONWriter(capacity: body.count + 16)
    masker.writeMasked(parsed, to: &writer)
    return writer.bytes.count
}
#endif
measure("maskText(plain, no PII)") { masker.maskText(plainText).utf8.count }
measure("maskText(e-mail and phone)") { masker.maskText(piiText).utf8.count }
measure("maskedHeadersJSON(10 headers)") { masker.maskedHeadersJSON(headers).utf8.count }
