import RenumCore
import RenumStorage

/// A webhook log row as its owner sees it: masked headers and payload, never the sealed body.
struct WebhookLogResource: JSONEncodable {
    let entry: WebhookLogEntry

    func encodeJSON(into writer: inout JSONWriter) {
        writer.object { w in
            w.field("id", entry.id.lowercasedString)
            w.field("request_id", entry.requestID)
            w.field("method", entry.method)
            w.field("outcome", entry.outcome)
            w.key("status_code"); if let code = entry.statusCode { w.int(code) } else { w.null() }
            w.field("error", entry.errorMessage)
            w.key("provider_ids"); w.raw(entry.providerIDs)
            w.key("headers"); w.raw(entry.headers)
            w.key("payload"); if let payload = entry.payload { w.raw(payload) } else { w.null() }
            w.key("response_time_ms"); if let time = entry.responseTimeMs { w.int(time) } else { w.null() }
            w.field("job_status", entry.jobStatus)
            w.key("attempts"); if let attempts = entry.jobAttempts { w.int(attempts) } else { w.null() }
            w.field("created_at", entry.createdAt)
        }
    }
}

/// `GET …/analytics`: one row per day with activity, and the period's totals.
struct AnalyticsResource: JSONEncodable {
    let integrationID: String
    let days: Int
    let rows: [AnalyticsDay]

    func encodeJSON(into writer: inout JSONWriter) {
        writer.object { w in
            w.field("integration_id", integrationID)
            w.field("days", days)
            w.key("items")
            w.array(rows) { w, row in
                w.object { o in
                    o.field("day", row.day)
                    o.field("total", row.total)
                    o.field("successful", row.successful)
                    o.field("failed", row.failed)
                    o.key("avg_response_time_ms"); o.double(row.averageResponseTimeMs)
                    o.key("cost"); o.double(row.cost)
                }
            }
            let total = rows.reduce(0) { $0 + $1.total }
            let time = rows.reduce(0.0) { $0 + $1.averageResponseTimeMs * Double($1.total) }
            w.key("totals")
            w.object { o in
                o.field("total", total)
                o.field("successful", rows.reduce(0) { $0 + $1.successful })
                o.field("failed", rows.reduce(0) { $0 + $1.failed })
                o.key("avg_response_time_ms"); o.double(total > 0 ? time / Double(total) : 0)
                o.key("cost"); o.double(rows.reduce(0.0) { $0 + $1.cost })
            }
        }
    }
}
