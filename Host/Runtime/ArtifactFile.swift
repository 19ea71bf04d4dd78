import Foundation
import RenumSecurity

/// The plugin file checks made before the dynamic linker sees it: its digest, and that it
/// is a 64-bit ELF shared object, so junk never reaches dlopen.
enum ArtifactFile {
    /// The size of an ELF64 header: anything shorter cannot be a library.
    static let elfHeaderSize = 64

    /// Reads the file; nil when it cannot be read.
    static func read(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }

    /// Lowercase hex SHA-256 of `bytes`.
    static func sha256Hex(_ bytes: [UInt8]) -> String { Hex.encode(Crypto.sha256(bytes)) }

    /// Why `bytes` are not an ELF64 little-endian shared object (ET_DYN), or nil when they are.
    static func notALibrary(_ bytes: [UInt8]) -> String? {
        guard bytes.count >= elfHeaderSize else { return "file is \(bytes.count) bytes, shorter than an ELF header" }
        guard bytes[0] == 0x7F, bytes[1] == UInt8(ascii: "E"), bytes[2] == UInt8(ascii: "L"), bytes[3] == UInt8(ascii: "F") else {
            return "no ELF magic (not a shared library)"
        }
        guard bytes[4] == 2 else { return "not a 64-bit ELF file" }
        guard bytes[5] == 1 else { return "not a little-endian ELF file" }
        let type = UInt16(bytes[16]) | UInt16(bytes[17]) << 8
        guard type == 3 else { return "ELF type \(type) is not a shared object (ET_DYN)" }
        return truncation(bytes)
    }

    /// Why the file is cut short, or nil. The dynamic linker maps segments by the sizes the
    /// headers claim; a segment past the end of the file maps fine and then kills the host
    /// with SIGBUS on first touch (seen here), so every table and loaded segment is checked.
    static func truncation(_ bytes: [UInt8]) -> String? {
        func field(_ offset: Int, _ size: Int) -> UInt64? {
            guard offset >= 0, offset + size <= bytes.count else { return nil }
            var value: UInt64 = 0
            for index in (0..<size).reversed() { value = value << 8 | UInt64(bytes[offset + index]) }
            return value
        }
        let size = UInt64(bytes.count)
        guard let phoff = field(32, 8), let shoff = field(40, 8), let phentsize = field(54, 2), let phnum = field(56, 2),
              let shentsize = field(58, 2), let shnum = field(60, 2) else { return "ELF header cut short" }
        guard phnum > 0, phentsize >= 56, phoff.addingReportingOverflow(phnum * phentsize).partialValue <= size,
              phoff < size else {
            return "program headers lie outside the file (truncated?)"
        }
        if shoff != 0, shoff > size || shoff + shnum * shentsize > size {
            return "section headers lie outside the file (truncated?)"
        }
        for index in 0..<Int(phnum) {
            let header = Int(phoff) + index * Int(phentsize)
            guard let type = field(header, 4), let offset = field(header + 8, 8), let fileSize = field(header + 32, 8) else {
                return "program header \(index) cut short"
            }
            let (end, overflow) = offset.addingReportingOverflow(fileSize)
            if (type == 1 || type == 2), overflow || end > size {
                return "segment \(index) ends at byte \(end), past the end of the \(size)-byte file (truncated?)"
            }
        }
        return nil
    }
}
