import Foundation
import RenumCore

/// How severe a log record is; records under a logger's minimum level are dropped.
public enum LogLevel: Int, Sendable, Comparable, CaseIterable {
    case debug = 0, info, warning, error

    public var name: String {
        switch self {
        case .debug: return "debug"
        case .info: return "info"
        case .warning: return "warning"
        case .error: return "error"
        }
    }

    /// Parses `debug`, `info`, `warning`/`warn`, `error` (any case).
    public init?(name: String) {
        switch name.lowercased() {
        case "debug": self = .debug
        case "info": self = .info
        case "warning", "warn": self = .warning
        case "error": self = .error
        default: return nil
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One structured log event, as handed to a sink.
public struct LogRecord: Sendable {
    public let timestamp: Date
    public let level: LogLevel
    public let label: String
    public let message: String
    /// Already redacted: a sink may write it as it is.
    public let metadata: [String: String]
}

/// Where log records go. Implementations must be safe to call from any thread.
public protocol LogSink: Sendable {
    func write(_ record: LogRecord)
}

/// A cheap value that logs structured records to a sink, with redaction of secret-looking keys.
public struct Logger: Sendable {
    public let label: String
    public var minimumLevel: LogLevel
    public var metadata: [String: String]
    private let sink: any LogSink

    public init(label: String, sink: any LogSink, minimumLevel: LogLevel = .info, metadata: [String: String] = [:]) {
        self.label = label
        self.sink = sink
        self.minimumLevel = minimumLevel
        self.metadata = Redactor.redact(metadata)
    }

    /// A logger that drops everything, for code paths and tests that need one.
    public static let disabled = Logger(label: "disabled", sink: DiscardingSink(), minimumLevel: .error)

    /// A copy with one more metadata field (redacted when its key looks secret).
    public func with(_ key: String, _ value: String) -> Logger {
        var copy = self
        copy.metadata[key] = Redactor.redact(key: key, value: value)
        return copy
    }

    /// A copy under another label, sharing sink, level and metadata.
    public func labeled(_ label: String) -> Logger {
        Logger(label: label, sink: sink, minimumLevel: minimumLevel, metadata: metadata)
    }

    public func isEnabled(_ level: LogLevel) -> Bool { level >= minimumLevel }

    public func log(_ level: LogLevel, _ message: @autoclosure () -> String, _ extra: [String: String] = [:]) {
        guard level >= minimumLevel else { return }
        var fields = metadata
        for (key, value) in extra { fields[key] = Redactor.redact(key: key, value: value) }
        sink.write(LogRecord(timestamp: Date(), level: level, label: label, message: message(), metadata: fields))
    }

    public func debug(_ message: @autoclosure () -> String, _ extra: [String: String] = [:]) { log(.debug, message(), extra) }
    public func info(_ message: @autoclosure () -> String, _ extra: [String: String] = [:]) { log(.info, message(), extra) }
    public func warning(_ message: @autoclosure () -> String, _ extra: [String: String] = [:]) { log(.warning, message(), extra) }
    public func error(_ message: @autoclosure () -> String, _ extra: [String: String] = [:]) { log(.error, message(), extra) }
}

/// Drops every record.
public struct DiscardingSink: LogSink {
    public init() {}
    public func write(_ record: LogRecord) {}
}
