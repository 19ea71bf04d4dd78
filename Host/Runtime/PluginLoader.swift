import Foundation
import RenumCore
import RenumManifest
import RenumObservability

/// Loads plugin images in process, refusing anything that fails a check before the plugin
/// is ever called. Checks, in order, each with its `LoadError.code`:
///
/// 1. `DIGEST_MISMATCH`: the file's SHA-256 is not the registry's (checked before the
///    dynamic linker sees the file; the artifact store must be write-once for this to hold).
/// 2. `NOT_A_LIBRARY`: not a 64-bit little-endian ELF shared object (junk never reaches dlopen).
/// 3. `LOAD_FAILED`: dlopen(RTLD_NOW|RTLD_LOCAL|RTLD_NODELETE) failed (dlerror's text).
/// 4. `NO_ENTRY_SYMBOL`: no `renum_plugin_entry`.
/// 5. `BAD_MAGIC`, `DESCRIPTOR_TOO_SMALL`, `ABI_INCOMPATIBLE`, `MISSING_FUNCTION`.
/// 6. `BAD_MANIFEST`: the embedded manifest is missing or not a valid manifest.
/// 7. `MANIFEST_MISMATCH`: it disagrees with the registry's (the differences are listed).
/// 8. `BAD_CONFIG`: the configuration is not a JSON object.
/// 9. `INIT_FAILED`: on_init failed (the plugin's code and message).
///
/// Images are never dlclosed, even when refused after dlopen: unloading a Swift image
/// crashes the host at its next dynamic cast (ARCHITECTURE.md, "Measured on this machine").
public struct PluginLoader: Sendable {
    let services: any HostServices
    let logger: Logger

    /// A loader whose plugins reach the world through `services`; refusals go to `logger`.
    public init(services: any HostServices, logger: Logger) {
        self.services = services
        self.logger = logger
    }

    /// Loads and initialises the artifact at `artifactPath` for the registry's `manifest`.
    /// - sha256: the registry's lowercase hex digest of the file.
    /// - config: the instance configuration, a JSON object.
    public func load(artifactPath: String, sha256: String, manifest: PluginManifest, config: [UInt8] = Array("{}".utf8)) throws(LoadError) -> LoadedPlugin {
        do {
            return try checkedLoad(artifactPath: artifactPath, sha256: sha256, registry: manifest, config: config)
        } catch {
            logger.warning("plugin refused", ["code": error.code, "reason": error.message, "path": artifactPath,
                                              "agent_id": manifest.agentID, "version": manifest.version.description])
            throw error
        }
    }

    /// For development tools (`renum plugin validate/invoke`) only: loads a file with no
    /// registry entry, so there is no digest to check and the embedded manifest is trusted.
    public func loadUnregistered(artifactPath: String, config: [UInt8] = Array("{}".utf8)) throws(LoadError) -> LoadedPlugin {
        do {
            return try checkedLoad(artifactPath: artifactPath, sha256: nil, registry: nil, config: config)
        } catch {
            logger.warning("plugin refused", ["code": error.code, "reason": error.message, "path": artifactPath])
            throw error
        }
    }

    private func checkedLoad(artifactPath relativePath: String, sha256: String?, registry: PluginManifest?, config: [UInt8]) throws(LoadError) -> LoadedPlugin {
        // dlopen searches the library path for a name without a slash: always hand it the
        // absolute path of the very file that is hashed below, never a name to look up.
        let artifactPath = URL(fileURLWithPath: relativePath).standardizedFileURL.path
        guard let bytes = ArtifactFile.read(artifactPath) else {
            throw LoadError(code: "LOAD_FAILED", message: "cannot read \(artifactPath)")
        }
        if let sha256 {
            let actual = ArtifactFile.sha256Hex(bytes)
            guard actual == sha256.lowercased() else {
                throw LoadError(code: "DIGEST_MISMATCH", message: "\(artifactPath) has SHA-256 \(actual), the registry expects \(sha256.lowercased())")
            }
        }
        if let reason = ArtifactFile.notALibrary(bytes) {
            throw LoadError(code: "NOT_A_LIBRARY", message: "\(artifactPath): \(reason)")
        }
        let library: DynamicLibrary
        do {
            library = try DynamicLibrary.open(artifactPath)
        } catch {
            throw LoadError(code: "LOAD_FAILED", message: error.message)
        }
        guard let entry = library.entryPoint() else {
            throw LoadError(code: "NO_ENTRY_SYMBOL", message: "\(artifactPath) does not export renum_plugin_entry")
        }
        let descriptor = try PluginDescriptor.check(entry)
        let embedded: PluginManifest
        do {
            embedded = try PluginManifest.parse(descriptor.manifestBytes)
        } catch {
            throw LoadError(code: "BAD_MANIFEST", message: "the embedded manifest is invalid: " + error.errors.map(\.description).joined(separator: "; "))
        }
        if let registry {
            let differences = embedded.agrees(with: registry)
            guard differences.isEmpty else {
                throw LoadError(code: "MANIFEST_MISMATCH", message: "the embedded manifest (first) disagrees with the registry's (second): "
                                + differences.joined(separator: "; "))
            }
        }
        guard case .object? = try? JSONParser.parse(config) else {
            throw LoadError(code: "BAD_CONFIG", message: "the configuration is not a JSON object")
        }
        let manifest = registry ?? embedded
        let context = PluginContext(manifest: manifest, services: services, logger: logger)
        let functions = try descriptor.initialize(config: config, context: context)
        logger.info("plugin loaded", ["agent_id": manifest.agentID, "version": manifest.version.description, "path": artifactPath,
                                      "abi": "\(descriptor.abiMajor).\(descriptor.abiMinor)"])
        return LoadedPlugin(manifest: manifest, abi: (descriptor.abiMajor, descriptor.abiMinor), artifactPath: artifactPath,
                            context: context, functions: functions)
    }
}
