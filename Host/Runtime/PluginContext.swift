import RenumManifest
import RenumObservability

/// What host functions need to know about a loaded plugin: its manifest and the services
/// that answer its requests. Shared by every call of one loaded version.
final class PluginContext: Sendable {
    let manifest: PluginManifest
    let services: any HostServices
    let logger: Logger

    init(manifest: PluginManifest, services: any HostServices, logger: Logger) {
        self.manifest = manifest
        self.services = services
        self.logger = logger
    }
}
