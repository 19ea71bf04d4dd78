import Foundation
import Synchronization

/// Counters and histograms, rendered in the Prometheus text exposition format.
///
/// Families are declared once (name, help, kind, buckets); series are created on first
/// use per label set. One mutex guards everything: an update is a dictionary lookup and
/// an add, far cheaper than the request it measures.
public final class MetricsRegistry: Sendable {
    public enum Kind: String, Sendable { case counter, gauge, histogram }

    struct Family: Sendable {
        let name: String
        let help: String
        let kind: Kind
        let buckets: [Double]
    }

    struct SeriesKey: Hashable, Sendable {
        let family: String
        let labels: [Label]
    }

    struct Label: Hashable, Sendable {
        let name: String
        let value: String
    }

    struct Series: Sendable {
        var value: Double = 0
        var bucketCounts: [UInt64] = []
        var sum: Double = 0
        var count: UInt64 = 0
    }

    struct State: Sendable {
        var families: [String: Family] = [:]
        var order: [String] = []
        var series: [SeriesKey: Series] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Latency buckets in seconds, from 100 µs to 10 s.
    public static let latencyBuckets: [Double] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// Declares a family; declaring it again with the same name is a no-op.
    public func declare(_ name: String, help: String, kind: Kind, buckets: [Double] = MetricsRegistry.latencyBuckets) {
        state.withLock { state in
            guard state.families[name] == nil else { return }
            state.families[name] = Family(name: name, help: help, kind: kind, buckets: kind == .histogram ? buckets.sorted() : [])
            state.order.append(name)
        }
    }

    /// Adds `amount` to a counter (or a gauge).
    public func increment(_ name: String, _ labels: [(String, String)] = [], by amount: Double = 1) {
        let key = SeriesKey(family: name, labels: labels.map { Label(name: $0.0, value: $0.1) })
        state.withLock { state in
            state.series[key, default: Series()].value += amount
        }
    }

    /// Sets a gauge.
    public func set(_ name: String, _ labels: [(String, String)] = [], to value: Double) {
        let key = SeriesKey(family: name, labels: labels.map { Label(name: $0.0, value: $0.1) })
        state.withLock { state in
            state.series[key, default: Series()].value = value
        }
    }

    /// Records one observation in a histogram.
    public func observe(_ name: String, _ labels: [(String, String)] = [], _ value: Double) {
        let key = SeriesKey(family: name, labels: labels.map { Label(name: $0.0, value: $0.1) })
        state.withLock { state in
            guard let family = state.families[name] else { return }
            var series = state.series[key] ?? Series(bucketCounts: Array(repeating: 0, count: family.buckets.count))
            if let index = family.buckets.firstIndex(where: { value <= $0 }) {
                series.bucketCounts[index] += 1
            }
            series.sum += value
            series.count += 1
            state.series[key] = series
        }
    }

    /// The current value of a counter or gauge series (0 when never touched).
    public func value(_ name: String, _ labels: [(String, String)] = []) -> Double {
        let key = SeriesKey(family: name, labels: labels.map { Label(name: $0.0, value: $0.1) })
        return state.withLock { $0.series[key]?.value ?? 0 }
    }

    /// The Prometheus text format (version 0.0.4) of every declared family.
    public func render() -> String {
        let snapshot = state.withLock { $0 }
        var byFamily: [String: [(SeriesKey, Series)]] = [:]
        for (key, series) in snapshot.series { byFamily[key.family, default: []].append((key, series)) }
        var out = ""
        for name in snapshot.order {
            guard let family = snapshot.families[name] else { continue }
            out += "# HELP \(name) \(family.help)\n# TYPE \(name) \(family.kind.rawValue)\n"
            let series = (byFamily[name] ?? []).sorted { Self.labelText($0.0.labels) < Self.labelText($1.0.labels) }
            for (key, s) in series {
                switch family.kind {
                case .counter, .gauge:
                    out += "\(name)\(Self.labelText(key.labels)) \(Self.number(s.value))\n"
                case .histogram:
                    var cumulative: UInt64 = 0
                    for (index, bound) in family.buckets.enumerated() {
                        cumulative += s.bucketCounts[index]
                        out += "\(name)_bucket\(Self.labelText(key.labels + [Label(name: "le", value: Self.number(bound))])) \(cumulative)\n"
                    }
                    out += "\(name)_bucket\(Self.labelText(key.labels + [Label(name: "le", value: "+Inf")])) \(s.count)\n"
                    out += "\(name)_sum\(Self.labelText(key.labels)) \(Self.number(s.sum))\n"
                    out += "\(name)_count\(Self.labelText(key.labels)) \(s.count)\n"
                }
            }
        }
        return out
    }

    static func labelText(_ labels: [Label]) -> String {
        guard !labels.isEmpty else { return "" }
        let parts = labels.map { label -> String in
            let escaped = label.value
                .replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
            return "\(label.name)=\"\(escaped)\""
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
