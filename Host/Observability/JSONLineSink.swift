import Foundation
import RenumCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Writes one JSON object per line to a file descriptor (stderr by default).
///
/// Each record is encoded first and written with a single `write` under a lock,
/// so lines from concurrent threads never interleave.
public final class JSONLineSink: LogSink {
    private let fd: Int32
    private let lock = Mutex(())

    public init(fileDescriptor: Int32 = 2) {
        self.fd = fileDescriptor
    }

    public func write(_ record: LogRecord) {
        var line = JSONLineSink.encode(record)
        line.append(UInt8(ascii: "\n"))
        lock.withLock { _ in
            line.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n <= 0 { if errno == EINTR { continue }; return }
                    offset += n
                }
            }
        }
    }

    /// `{"ts":…,"level":…,"logger":…,"msg":…, <metadata…>}` with keys in a stable order.
    static func encode(_ record: LogRecord) -> [UInt8] {
        var writer = JSONWriter(capacity: 320)
        writer.object { w in
            w.field("ts", Timestamp.format(record.timestamp))
            w.field("level", record.level.name)
            w.field("logger", record.label)
            w.field("msg", record.message)
            for key in record.metadata.keys.sorted() where !reservedKeys.contains(key) {
                w.field(key, record.metadata[key]!)
            }
        }
        return writer.bytes
    }

    static let reservedKeys: Set<String> = ["ts", "level", "logger", "msg"]
}

/// Keeps records in memory; tests read them back to check what was (and was not) logged.
public final class MemoryLogSink: LogSink {
    private let records = Mutex<[LogRecord]>([])

    public init() {}

    public func write(_ record: LogRecord) { records.withLock { $0.append(record) } }

    public var all: [LogRecord] { records.withLock { $0 } }

    /// Every record as the JSON line the stderr sink would write.
    public var lines: [String] { all.map { String(decoding: JSONLineSink.encode($0), as: UTF8.self) } }
}
