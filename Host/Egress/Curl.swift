import CCurl

/// The one place Renum calls into libcurl.
///
/// Every `curl_*` call, callback and C pointer stays in this file; the rest of the
/// module sees `CurlTransfer` (plain Swift values in) and `CurlResult` (values out).

/// One transfer for libcurl: a single request, never following redirects.
struct CurlTransfer {
    /// Absolute URL as curl should see it.
    var url: String
    var method: String
    var headers: [(String, String)]
    /// nil: no request body at all; empty: an explicit empty body.
    var body: [UInt8]?
    /// `host:port:address[,address…]` pin for a name (nil for IP-literal hosts).
    var pin: (host: String, port: Int, addresses: [IPAddress])?
    var timeoutMilliseconds: Int
    var connectTimeoutMilliseconds: Int
    var maxBodyBytes: Int
    var maxHeaderBytes: Int
}

/// What came back from one transfer.
struct CurlResult {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]
    /// The address curl actually connected to (CURLINFO_PRIMARY_IP).
    var primaryIP: String
}

/// libcurl's process-wide setup, run once on first use (Swift globals initialise lazily
/// and exactly once, even under concurrent first access).
private let curlGlobalInitResult: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

/// Owns one CURL easy handle and the C lists it points at; frees them in `deinit`.
final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    private var lists: [UnsafeMutablePointer<curl_slist>] = []

    /// A fresh handle (one per transfer: no connection, DNS or cookie state carries over).
    init() throws(EgressError) {
        guard curlGlobalInitResult == CURLE_OK else {
            throw EgressError(.connectionFailed, "outbound HTTP is unavailable (libcurl failed to initialise)")
        }
        guard let handle = curl_easy_init() else {
            throw EgressError(.connectionFailed, "outbound HTTP is unavailable (libcurl could not allocate a handle)")
        }
        self.handle = handle
    }

    deinit {
        curl_easy_cleanup(handle)
        for list in lists { curl_slist_free_all(list) }
    }

    /// Runs `transfer` to completion on the calling thread.
    func perform(_ transfer: CurlTransfer) throws(EgressError) -> CurlResult {
        let sink = TransferSink(maxBodyBytes: transfer.maxBodyBytes, maxHeaderBytes: transfer.maxHeaderBytes)
        let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()
        try configure(transfer)
        try set(CURLOPT_WRITEFUNCTION, unsafeBitCast(curlWriteCallback, to: UnsafeRawPointer.self))
        try set(CURLOPT_WRITEDATA, UnsafeRawPointer(sinkPointer))
        try set(CURLOPT_HEADERFUNCTION, unsafeBitCast(curlHeaderCallback, to: UnsafeRawPointer.self))
        try set(CURLOPT_HEADERDATA, UnsafeRawPointer(sinkPointer))

        let rc = withExtendedLifetime(sink) { curl_easy_perform(handle) }
        guard rc == CURLE_OK else { throw Self.error(for: rc, sink: sink) }

        var status = 0
        renum_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var ip: UnsafeMutablePointer<CChar>? = nil
        renum_curl_get_string(handle, CURLINFO_PRIMARY_IP, &ip)
        return CurlResult(status: status, headers: sink.headers, body: sink.body,
                          primaryIP: ip.map { String(cString: $0) } ?? "")
    }

    private func configure(_ t: CurlTransfer) throws(EgressError) {
        try set(CURLOPT_URL, t.url)
        try set(CURLOPT_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_FOLLOWLOCATION, 0)
        try set(CURLOPT_NOSIGNAL, 1)
        // No proxy from the environment (http_proxy, ALL_PROXY…), no netrc, no cookie engine
        // (it stays off unless CURLOPT_COOKIEFILE/JAR is set, which we never do).
        try set(CURLOPT_PROXY, "")
        try set(CURLOPT_NOPROXY, "*")
        try set(CURLOPT_NETRC, Int(CURL_NETRC_IGNORED.rawValue))
        try set(CURLOPT_SSL_VERIFYPEER, 1)
        try set(CURLOPT_SSL_VERIFYHOST, 2)
        try set(CURLOPT_TIMEOUT_MS, t.timeoutMilliseconds)
        try set(CURLOPT_CONNECTTIMEOUT_MS, t.connectTimeoutMilliseconds)
        try setOffT(CURLOPT_MAXFILESIZE_LARGE, Int64(t.maxBodyBytes))
        try set(CURLOPT_USERAGENT, "Renum-Egress/1")

        if let pin = t.pin {
            let addresses = pin.addresses.map { $0.urlHost }.joined(separator: ",")
            try setList(CURLOPT_RESOLVE, ["\(pin.host):\(pin.port):\(addresses)"])
        }
        // "Expect:" stops curl's 100-continue dance for large bodies.
        let headerLines = t.headers.map { $0.1.isEmpty ? "\($0.0);" : "\($0.0): \($0.1)" } + ["Expect:"]
        try setList(CURLOPT_HTTPHEADER, headerLines)

        switch (t.method, t.body) {
        case ("GET", nil):
            try set(CURLOPT_HTTPGET, 1)
        case ("HEAD", nil):
            try set(CURLOPT_NOBODY, 1)
        case (_, let body?):
            // COPYPOSTFIELDS copies the bytes now, using the size set just before it.
            try setOffT(CURLOPT_POSTFIELDSIZE_LARGE, Int64(body.count))
            let rc = body.withUnsafeBufferPointer { buffer in
                // A zero-length array may have no base address; curl needs a valid pointer.
                buffer.baseAddress.map { renum_curl_set_pointer(handle, CURLOPT_COPYPOSTFIELDS, $0) }
                    ?? renum_curl_set_pointer(handle, CURLOPT_COPYPOSTFIELDS, "")
            }
            try check(rc, "COPYPOSTFIELDS")
            if t.method != "POST" { try set(CURLOPT_CUSTOMREQUEST, t.method) }
        case (_, nil):
            try set(CURLOPT_CUSTOMREQUEST, t.method)
        }
    }

    private func set(_ option: CURLoption, _ value: Int) throws(EgressError) {
        try check(renum_curl_set_long(handle, option, value), "option \(option.rawValue)")
    }

    private func setOffT(_ option: CURLoption, _ value: Int64) throws(EgressError) {
        try check(renum_curl_set_off_t(handle, option, curl_off_t(value)), "option \(option.rawValue)")
    }

    /// curl copies string options during the call (since 7.17).
    private func set(_ option: CURLoption, _ value: String) throws(EgressError) {
        try check(value.withCString { renum_curl_set_pointer(handle, option, $0) }, "option \(option.rawValue)")
    }

    private func set(_ option: CURLoption, _ value: UnsafeRawPointer) throws(EgressError) {
        try check(renum_curl_set_pointer(handle, option, value), "option \(option.rawValue)")
    }

    /// An slist option; the list lives until `deinit`.
    private func setList(_ option: CURLoption, _ items: [String]) throws(EgressError) {
        var list: UnsafeMutablePointer<curl_slist>? = nil
        for item in items {
            guard let next = curl_slist_append(list, item) else {
                if let list { curl_slist_free_all(list) }
                throw EgressError(.connectionFailed, "outbound HTTP is unavailable (out of memory)")
            }
            list = next
        }
        guard let list else { return }
        lists.append(list)
        try set(option, UnsafeRawPointer(list))
    }

    private func check(_ rc: CURLcode, _ what: String) throws(EgressError) {
        guard rc == CURLE_OK else {
            throw EgressError(.invalidRequest, "request rejected by the HTTP client (\(what): \(Self.describe(rc)))")
        }
    }

    private static func describe(_ rc: CURLcode) -> String {
        // curl_easy_strerror returns static, generic text: nothing from the request.
        String(cString: curl_easy_strerror(rc))
    }

    private static func error(for rc: CURLcode, sink: TransferSink) -> EgressError {
        switch rc {
        case CURLE_OPERATION_TIMEDOUT:
            return EgressError(.timeout, "the request timed out")
        case CURLE_FILESIZE_EXCEEDED:
            return EgressError(.responseTooLarge, "response body exceeds \(sink.maxBodyBytes) bytes")
        case CURLE_WRITE_ERROR where sink.bodyOverflow:
            return EgressError(.responseTooLarge, "response body exceeds \(sink.maxBodyBytes) bytes")
        case CURLE_WRITE_ERROR where sink.headerOverflow:
            return EgressError(.responseTooLarge, "response headers exceed \(sink.maxHeaderBytes) bytes")
        case CURLE_COULDNT_RESOLVE_HOST:
            return EgressError(.dnsFailed, "could not resolve the host")
        case CURLE_URL_MALFORMAT:
            return EgressError(.invalidRequest, "malformed URL")
        case CURLE_UNSUPPORTED_PROTOCOL:
            return EgressError(.schemeNotAllowed, "scheme not allowed")
        default:
            return EgressError(.connectionFailed, "connection failed: \(describe(rc))")
        }
    }
}

/// Collects one transfer's headers and body, refusing to buffer past the caps.
/// Used from the thread running `curl_easy_perform` only.
private final class TransferSink {
    let maxBodyBytes: Int
    let maxHeaderBytes: Int
    var body: [UInt8] = []
    var headers: [(String, String)] = []
    var headerBytes = 0
    var bodyOverflow = false
    var headerOverflow = false

    init(maxBodyBytes: Int, maxHeaderBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
    }

    func appendBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard body.count + bytes.count <= maxBodyBytes else { bodyOverflow = true; return false }
        body.append(contentsOf: bytes)
        return true
    }

    func appendHeaderLine(_ bytes: UnsafeRawBufferPointer) -> Bool {
        headerBytes += bytes.count
        guard headerBytes <= maxHeaderBytes else { headerOverflow = true; return false }
        let line = String(decoding: bytes, as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            // A new response head (after a 1xx): only the final one's headers are kept.
            headers.removeAll()
            return true
        }
        guard let colon = line.firstIndex(of: ":") else { return true }
        let name = String(line[..<colon]).trimmingASCIISpace()
        let value = String(line[line.index(after: colon)...]).trimmingASCIISpace()
        if !name.isEmpty { headers.append((name, value)) }
        return true
    }
}

/// CURLOPT_WRITEFUNCTION: returning anything but `size * count` aborts with CURLE_WRITE_ERROR.
private let curlWriteCallback: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, user in
    guard let user else { return 0 }
    let sink = Unmanaged<TransferSink>.fromOpaque(user).takeUnretainedValue()
    let length = size * count
    return sink.appendBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

/// CURLOPT_HEADERFUNCTION: called once per header line, status line and final blank line.
private let curlHeaderCallback: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, user in
    guard let user else { return 0 }
    let sink = Unmanaged<TransferSink>.fromOpaque(user).takeUnretainedValue()
    let length = size * count
    return sink.appendHeaderLine(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

private extension String {
    func trimmingASCIISpace() -> String {
        var view = Substring(self)
        while let c = view.first, c == " " || c == "\t" || c == "\r" || c == "\n" { view = view.dropFirst() }
        while let c = view.last, c == " " || c == "\t" || c == "\r" || c == "\n" || c == "\r\n" { view = view.dropLast() }
        return String(view)
    }
}
