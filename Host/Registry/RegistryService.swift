import Foundation
import RenumCore
import RenumHTTP
import RenumManifest
import RenumObservability
import RenumSecurity
import RenumStorage
import Synchronization

/// The agent registry: versions, their lifecycle, who may see and call which, and what
/// serves. Decisions live here; storage and the runtime carry them out.
public final class RegistryService: Sendable {
    let repository: AgentRegistryRepository
    let serving: any AgentServing
    let inspector: any ArtifactInspector
    let artifactDirectory: String
    let logger: Logger
    /// Parsed manifests by "agent@version": a version's manifest never changes once stored.
    private let manifests = Mutex<[String: PluginManifest]>([:])

    public init(store: any Store, serving: any AgentServing, inspector: any ArtifactInspector,
                artifactDirectory: String, logger: Logger) {
        self.repository = AgentRegistryRepository(store: store)
        self.serving = serving
        self.inspector = inspector
        self.artifactDirectory = artifactDirectory
        self.logger = logger
    }

    // MARK: Reading

    /// The parsed manifest of a stored version (parsed once, then cached).
    public func manifest(of record: AgentVersionRecord) throws(APIError) -> PluginManifest {
        let key = "\(record.agentID)@\(record.version)"
        if let cached = manifests.withLock({ $0[key] }) { return cached }
        do {
            let parsed = try PluginManifest.parse(record.manifest)
            manifests.withLock { $0[key] = parsed }
            return parsed
        } catch {
            logger.error("stored manifest no longer parses", ["agent": key])
            throw APIError.internal()
        }
    }

    /// Whether `principal` may see (and call) this version: admins see everything; users see
    /// approved versions, and staged ones whose canary includes them.
    public func isVisible(_ record: AgentVersionRecord, to principal: Principal) -> Bool {
        if principal.isAdmin { return true }
        switch AgentStatus(rawValue: record.status) {
        case .approved: return true
        case .staged: return CanaryPolicy(storedJSON: record.canary).includes(userID: principal.userID, agentID: record.agentID)
        default: return false
        }
    }

    /// The versions of an agent `principal` may see, newest first; 404 when none.
    public func versions(of agentID: String, for principal: Principal) throws -> [AgentVersionRecord] {
        let visible = try repository.versions(agentID: agentID).filter { isVisible($0, to: principal) }
        guard !visible.isEmpty else { throw Self.agentNotFound(agentID) }
        return visible
    }

    /// The version a call or a detail request means.
    ///
    /// With an explicit version: that one, if visible. Without: the staged version whose canary
    /// includes the caller, else the active version; an admin with no active version gets the newest.
    public func resolve(agentID: String, version: String?, for principal: Principal) throws -> AgentVersionRecord {
        let all = try repository.versions(agentID: agentID)
        if let version {
            guard let record = all.first(where: { $0.version == version }), isVisible(record, to: principal) else {
                throw APIError.notFound("Agent \(agentID) has no version \(version) you can use.", code: "VERSION_NOT_FOUND")
            }
            return record
        }
        if let canary = all.first(where: { $0.status == AgentStatus.staged.rawValue
            && CanaryPolicy(storedJSON: $0.canary).includes(userID: principal.userID, agentID: agentID) }) {
            return canary
        }
        if let active = all.first(where: \.isActive) { return active }
        if principal.isAdmin, let newest = all.first { return newest }
        throw Self.agentNotFound(agentID)
    }

    /// Agents for a listing, ranked by `capability` and `query` when given.
    func listings(for principal: Principal, status: String?, capability: String?, query: String?) throws -> [AgentListing] {
        let grouped = Dictionary(grouping: try repository.all(), by: \.agentID)
        var listings: [AgentListing] = []
        for (_, versions) in grouped {
            let visible = versions.filter { isVisible($0, to: principal) }
            let candidates = status.map { wanted in visible.filter { $0.status == wanted } } ?? visible
            guard let shown = candidates.first(where: \.isActive) ?? candidates.first else { continue }
            if !principal.isAdmin, !shown.isActive, shown.status != AgentStatus.staged.rawValue { continue }
            let manifest = try manifest(of: shown)
            guard let score = AgentSearch.score(manifest, capability: capability, query: query) else { continue }
            listings.append(AgentListing(shown: shown, manifest: manifest, versions: principal.isAdmin ? versions : visible,
                                         forAdmin: principal.isAdmin, score: score))
        }
        return listings.sorted { $0.score != $1.score ? $0.score > $1.score : $0.shown.agentID < $1.shown.agentID }
    }

    /// For the orchestrator: active approved versions offering every capability named.
    public func availableAgents(capabilities: [String]) throws -> [(record: AgentVersionRecord, manifest: PluginManifest)] {
        let wanted = Set(capabilities)
        return try repository.all(status: AgentStatus.approved.rawValue).filter(\.isActive).compactMap { record in
            let manifest = try manifest(of: record)
            return wanted.isSubset(of: Set(manifest.capabilities.map(\.name))) ? (record, manifest) : nil
        }
    }

    // MARK: Changing

    /// Registers a manifest as a new draft version.
    func create(manifestBody: [UInt8], by admin: Principal) async throws -> AgentVersionRecord {
        let manifest: PluginManifest
        do {
            manifest = try PluginManifest.parse(manifestBody)
        } catch {
            throw APIError.validation(error.errors.map { FieldError(path: $0.pointer, message: $0.message) })
        }
        do {
            return try await repository.insertDraft(agentID: manifest.agentID, version: manifest.version.description,
                                                    name: manifest.name, description: manifest.description,
                                                    manifest: manifest.canonicalJSON, createdBy: admin.userID)
        } catch let error as StorageError where error.code == .constraint {
            throw APIError.conflict("\(manifest.agentID) \(manifest.version) is already registered.", code: "VERSION_EXISTS")
        }
    }

    /// Stores an uploaded artifact for a draft after a throwaway process has checked it.
    func storeArtifact(agentID: String, version: String, bytes: [UInt8], by admin: Principal) async throws -> AgentVersionRecord {
        guard let record = try repository.find(agentID: agentID, version: version) else {
            throw Self.versionNotFound(agentID, version)
        }
        guard record.status == AgentStatus.draft.rawValue else {
            throw APIError.conflict("\(agentID) \(version) is \(record.status); artifacts can change only while a version is a draft.",
                                    code: "VERSION_IMMUTABLE")
        }
        guard !bytes.isEmpty else { throw APIError.badRequest("The artifact is empty.", code: "EMPTY_ARTIFACT") }
        let digest = Hex.encode(Crypto.sha256(bytes))
        let path = try writeArtifact(bytes, agentID: agentID, version: version, digest: digest)
        let manifest = try manifest(of: record)
        do {
            try await inspector.inspect(artifactPath: path, sha256: digest, manifest: manifest)
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw APIError(status: 422, code: error.code, message: error.message)
        }
        switch try await repository.recordArtifact(agentID: agentID, version: version, sha256: digest, path: path,
                                                   size: bytes.count, actor: admin.userID) {
        case .done(let updated, _): return updated
        case .notFound: throw Self.versionNotFound(agentID, version)
        case .illegal(let current):
            throw APIError.conflict("\(agentID) \(version) became \(current) meanwhile.", code: "VERSION_IMMUTABLE")
        }
    }

    /// Applies a lifecycle action; illegal moves are 409 listing the allowed ones.
    func perform(_ action: LifecycleAction, agentID: String, version: String, canary: CanaryPolicy?,
                 by admin: Principal) async throws -> AgentVersionRecord {
        guard let record = try repository.find(agentID: agentID, version: version) else {
            throw Self.versionNotFound(agentID, version)
        }
        let current = AgentStatus(rawValue: record.status) ?? .draft
        guard action.allowedFrom.contains(current) else { throw Self.illegal(action, current: current) }
        if action != .deprecate {
            guard record.artifactPath != nil else {
                throw APIError.conflict("\(agentID) \(version) has no accepted artifact yet; upload one first.", code: "ARTIFACT_REQUIRED")
            }
            let manifest = try manifest(of: record)
            do {
                try await serving.load(record, manifest: manifest)
            } catch {
                throw APIError(status: 422, code: error.code, message: error.message)
            }
        }
        let outcome = try await repository.transition(
            agentID: agentID, version: version, allowedFrom: Set(action.allowedFrom.map(\.rawValue)), to: action.target.rawValue,
            activate: action == .approve, deactivate: action == .deprecate,
            canary: action == .stage ? JSONText.encode((canary ?? .none).json) : nil, actor: admin.userID)
        switch outcome {
        case .notFound:
            throw Self.versionNotFound(agentID, version)
        case .illegal(let now):
            throw Self.illegal(action, current: AgentStatus(rawValue: now) ?? current)
        case .done(let updated, _):
            switch action {
            case .approve:
                do {
                    try await serving.activate(agentID: agentID, version: version)
                } catch {
                    logger.error("approved version could not be activated", ["agent": agentID, "version": version, "code": error.code])
                    throw APIError(status: 503, code: error.code, message: error.message)
                }
            case .deprecate:
                await serving.retire(agentID: agentID, version: version)
            case .stage:
                break
            }
            logger.info("agent lifecycle", ["agent": agentID, "version": version, "from": current.rawValue, "to": action.target.rawValue,
                                             "actor": admin.userID.lowercasedString])
            return updated
        }
    }

    /// Makes sure a version can take a call: drafts are loaded on demand (admins test them).
    public func ensureLoaded(_ record: AgentVersionRecord) async throws {
        guard record.artifactPath != nil else {
            throw APIError.conflict("\(record.agentID) \(record.version) has no accepted artifact yet.", code: "ARTIFACT_REQUIRED")
        }
        let manifest = try manifest(of: record)
        do {
            try await serving.load(record, manifest: manifest)
        } catch {
            throw APIError(status: 503, code: error.code, message: error.message)
        }
    }

    // MARK: Start-up

    /// Registers bundled manifests as approved, active first-party versions, once. A manifest
    /// that does not parse stops the server: a broken bundle must not start half-working.
    public func seedBundled(_ bundles: [(manifestPath: String, artifactPath: String)], by system: Principal) async throws {
        for bundle in bundles {
            let text: String
            do {
                text = try String(contentsOfFile: bundle.manifestPath, encoding: .utf8)
            } catch {
                throw RegistryRefusal(code: "BUNDLED_MANIFEST_UNREADABLE", message: "\(bundle.manifestPath): \(error.localizedDescription)")
            }
            let manifest: PluginManifest
            do {
                manifest = try PluginManifest.parse(text)
            } catch {
                throw RegistryRefusal(code: "BUNDLED_MANIFEST_INVALID", message: "\(bundle.manifestPath): \(error.description)")
            }
            let version = manifest.version.description
            if try repository.find(agentID: manifest.agentID, version: version) != nil { continue }
            guard let bytes = FileManager.default.contents(atPath: bundle.artifactPath) else {
                throw RegistryRefusal(code: "BUNDLED_ARTIFACT_MISSING", message: "\(bundle.artifactPath) does not exist; build the plugins first")
            }
            let digest = Hex.encode(Crypto.sha256(Array(bytes)))
            _ = try await repository.insertDraft(agentID: manifest.agentID, version: version, name: manifest.name,
                                                 description: manifest.description, manifest: manifest.canonicalJSON,
                                                 createdBy: nil, firstParty: true)
            let stored = try writeArtifact(Array(bytes), agentID: manifest.agentID, version: version, digest: digest)
            _ = try await repository.recordArtifact(agentID: manifest.agentID, version: version, sha256: digest, path: stored,
                                                    size: bytes.count, actor: nil)
            _ = try await repository.transition(agentID: manifest.agentID, version: version, allowedFrom: ["draft"],
                                                to: AgentStatus.approved.rawValue, activate: true, actor: nil)
            logger.info("seeded bundled agent", ["agent": manifest.agentID, "version": version])
        }
    }

    /// Loads what served before a restart: every active version and every staged canary.
    /// A version that no longer loads is logged and skipped; the rest still serve.
    public func loadServingVersions() async throws {
        for record in try repository.all() where record.isActive || record.status == AgentStatus.staged.rawValue {
            do {
                try await serving.load(record, manifest: try manifest(of: record))
                if record.isActive { try await serving.activate(agentID: record.agentID, version: record.version) }
            } catch {
                logger.error("could not load a serving version", ["agent": record.agentID, "version": record.version,
                                                                  "error": String(describing: error)])
            }
        }
    }

    // MARK: Helpers

    /// Artifacts are content-addressed files under the data dir, written once, readable only by us.
    private func writeArtifact(_ bytes: [UInt8], agentID: String, version: String, digest: String) throws -> String {
        let directory = "\(artifactDirectory)/\(agentID)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let path = "\(directory)/\(version)-\(digest.prefix(16)).so"
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw APIError.internal("The artifact could not be stored.")
        }
        return path
    }

    static func agentNotFound(_ agentID: String) -> APIError {
        APIError.notFound("No agent \(agentID).", code: "AGENT_NOT_FOUND")
    }

    static func versionNotFound(_ agentID: String, _ version: String) -> APIError {
        APIError.notFound("Agent \(agentID) has no version \(version).", code: "VERSION_NOT_FOUND")
    }

    static func illegal(_ action: LifecycleAction, current: AgentStatus) -> APIError {
        let allowed = LifecycleAction.allowed(from: current).map(\.rawValue)
        return APIError.conflict("Cannot \(action.rawValue) a \(current.rawValue) version.", code: "ILLEGAL_TRANSITION",
                                 details: ["current": .string(current.rawValue), "allowed": .array(allowed.map(JSONValue.string))])
    }
}
