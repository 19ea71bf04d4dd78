import Foundation

/// Finds the workspace's shared/ folder (conformance suites, references) for tests.
///
/// `$RENUM_SHARED_DIR` when set; otherwise the first `shared/` beside a folder above the
/// calling test file (the repository sits next to shared/ here and in CI). A test that
/// cannot find it fails: a conformance suite that silently does not run proves nothing.
public enum SharedConformance {
    public static func directory(_ relative: String, filePath: String = #filePath) throws -> URL {
        let fm = FileManager.default
        if let shared = ProcessInfo.processInfo.environment["RENUM_SHARED_DIR"], !shared.isEmpty {
            let url = URL(fileURLWithPath: shared).appendingPathComponent(relative)
            guard fm.fileExists(atPath: url.path) else {
                throw TestClientError(description: "RENUM_SHARED_DIR is set but \(url.path) does not exist")
            }
            return url
        }
        var dir = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("shared").appendingPathComponent(relative)
            if fm.fileExists(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        throw TestClientError(description: "shared/\(relative) not found: set RENUM_SHARED_DIR or put shared/ beside the repository")
    }
}
