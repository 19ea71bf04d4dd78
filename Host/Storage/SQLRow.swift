import Foundation

/// One result row; columns are looked up by name.
public struct SQLRow: Sendable {
    /// Column name → index, shared by every row of one result.
    let columns: [String: Int]
    let values: [SQLValue]

    init(columns: [String: Int], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The column's value, `.null` when there is no such column.
    public subscript(_ column: String) -> SQLValue {
        guard let index = columns[column] else { return .null }
        return values[index]
    }

    /// The column as text; throws `.decoding` when it is null or not text.
    public func string(_ c: String) throws(StorageError) -> String {
        guard case .text(let s) = self[c] else { throw mismatch(c, "text") }
        return s
    }

    /// The column as text, nil when it is null or not text.
    public func optionalString(_ c: String) -> String? {
        if case .text(let s) = self[c] { return s }
        return nil
    }

    /// The column as an integer; throws `.decoding` when it is null or not an integer.
    public func int(_ c: String) throws(StorageError) -> Int64 {
        guard case .integer(let i) = self[c] else { throw mismatch(c, "integer") }
        return i
    }

    /// The column as an integer, nil when it is null or not an integer.
    public func optionalInt(_ c: String) -> Int64? {
        if case .integer(let i) = self[c] { return i }
        return nil
    }

    /// The column as a double (integers widen); throws `.decoding` when null or not a number.
    public func double(_ c: String) throws(StorageError) -> Double {
        switch self[c] {
        case .real(let d): return d
        case .integer(let i): return Double(i)
        default: throw mismatch(c, "real")
        }
    }

    /// The column as a boolean stored as the integer 0 or 1; throws `.decoding` otherwise.
    public func bool(_ c: String) throws(StorageError) -> Bool {
        switch self[c] {
        case .integer(0): return false
        case .integer(1): return true
        default: throw mismatch(c, "boolean (0/1)")
        }
    }

    /// The column as bytes, nil when it is null; text is returned as its UTF-8 bytes.
    public func blob(_ c: String) -> [UInt8]? {
        switch self[c] {
        case .blob(let b): return b
        case .text(let s): return Array(s.utf8)
        default: return nil
        }
    }

    /// The column as a UUID stored as text; throws `.decoding` when null or not a UUID.
    public func uuid(_ c: String) throws(StorageError) -> UUID {
        let text = try string(c)
        guard let id = UUID(text: text) else { throw mismatch(c, "UUID") }
        return id
    }

    private func mismatch(_ column: String, _ expected: String) -> StorageError {
        let found: String
        switch self[column] {
        case .null: found = columns[column] == nil ? "no such column" : "null"
        case .integer: found = "integer"
        case .real: found = "real"
        case .text: found = "text"
        case .blob: found = "blob"
        }
        return StorageError(.decoding, "column \(column): expected \(expected), found \(found)")
    }
}
