import Foundation
import Glibc

/// Small owner-only files for key material: read whole, written atomically with mode 0600.
enum SecretFile {
    /// The file's bytes, or nil when it does not exist.
    static func read(_ path: String) throws(VaultError) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return nil }
            throw failure("cannot open", path)
        }
        defer { close(descriptor) }
        var contents = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        defer { OpenSSL.cleanse(&chunk) }
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                OpenSSL.cleanse(&contents)
                throw failure("cannot read", path)
            }
            if count == 0 { return contents }
            contents += chunk[0..<count]
            // Key files are a few hundred bytes per version; anything huge is not ours.
            guard contents.count <= 1 << 20 else {
                OpenSSL.cleanse(&contents)
                throw VaultError(.malformed, "\(path) is larger than any key file")
            }
        }
    }

    /// True when something exists at `path`.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Writes `bytes` to `path` via a 0600 temporary file in the same directory, fsync,
    /// then rename (or, with `exclusive`, link, which refuses to replace an existing file
    /// so two first starts cannot clobber each other's key). Returns false only when
    /// `exclusive` and `path` already exists. Readers see the old or the new file, never a torn one.
    @discardableResult
    static func writeAtomically(_ bytes: [UInt8], to path: String, exclusive: Bool) throws(VaultError) -> Bool {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = path + ".tmp-" + Hex.encode(Crypto.randomBytes(8))
        // O_EXCL: never follow or reuse something planted at the temporary name.
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure("cannot create", temporary) }
        var written = 0
        var ok = true
        // The umask can only narrow 0600, but an explicit fchmod states the intent.
        ok = fchmod(descriptor, 0o600) == 0
        while ok && written < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { ok = false } else { written += count }
        }
        ok = ok && fsync(descriptor) == 0
        let savedErrno = errno
        close(descriptor)
        guard ok else {
            unlink(temporary)
            errno = savedErrno
            throw failure("cannot write", temporary)
        }
        defer { unlink(temporary) }  // After link, or after a failed rename; harmless otherwise.
        if exclusive {
            if link(temporary, path) != 0 {
                if errno == EEXIST { return false }
                throw failure("cannot create", path)
            }
        } else if rename(temporary, path) != 0 {
            throw failure("cannot replace", path)
        }
        // Make the new directory entry itself durable.
        let directoryDescriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
        return true
    }

    /// Creates `path` (and parents) with mode 0700 when missing.
    static func ensureDirectory(_ path: String) throws(VaultError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw VaultError(.io, "cannot create data directory \(path): \(error.localizedDescription)")
        }
    }

    private static func failure(_ what: String, _ path: String) -> VaultError {
        VaultError(.io, "\(what) \(path): \(String(cString: strerror(errno)))")
    }
}
