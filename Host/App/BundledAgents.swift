import Foundation
import RenumObservability

/// Finds the first-party agents shipped with renum: each `manifests/<agent_id>.json` with its
/// built library `lib<agent_id>.so`.
enum BundledAgents {
    /// The running executable (the real binary, not a symlink to it).
    static func executablePath() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// SwiftPM builds plugin libraries next to the renum executable.
    static func executableDirectory() -> String {
        (executablePath() as NSString).deletingLastPathComponent
    }

    /// `RENUM_MANIFEST_DIR`, else the `manifests/` of the checkout above the executable.
    static func defaultManifestDirectory() -> String? {
        if let dir = ProcessInfo.processInfo.environment["RENUM_MANIFEST_DIR"], !dir.isEmpty { return dir }
        var directory = URL(fileURLWithPath: executableDirectory())
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("manifests")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("manifest.schema.json").path) {
                return candidate.path
            }
            directory.deleteLastPathComponent()
        }
        return nil
    }

    /// Every bundled manifest with its library path (the schema file itself is not a manifest).
    static func find(manifestDirectory: String?, pluginDirectory: String, logger: Logger) -> [(manifestPath: String, artifactPath: String)] {
        guard let manifestDirectory else {
            logger.warning("no manifests/ directory found; no bundled agents are registered (set RENUM_MANIFEST_DIR)")
            return []
        }
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: manifestDirectory)) ?? [])
            .filter { $0.hasSuffix(".json") && $0 != "manifest.schema.json" }.sorted()
        return files.map { file in
            let agentID = String(file.dropLast(".json".count))
            return (manifestDirectory + "/" + file, pluginDirectory + "/lib\(agentID).so")
        }
    }
}
