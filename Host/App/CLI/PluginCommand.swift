import Foundation
import RenumCore
import RenumEgress
import RenumManifest
import RenumObservability
import RenumRuntime
import RenumSecurity

/// `renum plugin new|validate|invoke|pack`: the plugin author's tools.
///
/// `validate` and `invoke` load the plugin into this short-lived process, never into a
/// server: the server asks a `renum plugin validate` child process to check uploads.
enum PluginCommand {
    static let help = """
    Usage:
      renum plugin new NAME [--lang swift|c] [--dir DIR]
          A new plugin from SDK/templates (placeholders filled in) in DIR/NAME (default ./NAME).
      renum plugin validate PATH.so [--manifest FILE] [--sha256 HEX] [--json]
          Loads the plugin in this process and checks ABI, descriptor, embedded manifest and its
          schemas; with --manifest, that the embedded manifest agrees with FILE; with --sha256, the
          digest. Exit 0 when valid, 1 when refused (the report names the reason).
      renum plugin invoke PATH.so CAPABILITY [--input JSON] [--credentials FILE] [--allow-private-network]
          One call under the server's host API: egress limited to the manifest's allowed_hosts
          through the SSRF guard (loopback and private addresses only with --allow-private-network),
          credentials from FILE ({"service_type": {"field": "secret"}}) for declared types only.
          Prints the output and the metering.
      renum plugin pack PATH.so [--out DIR]
          Writes DIR/<agent_id>-<version>.so, its manifest and its SHA-256, ready to upload.
    """

    static func run(arguments: [String], environment: [String: String]) async -> Int32 {
        guard let verb = arguments.first else { print(help); return 2 }
        let rest = Array(arguments.dropFirst())
        do {
            switch verb {
            case "new": return try newPlugin(rest, environment: environment)
            case "validate": return try validate(rest)
            case "invoke": return try invoke(rest)
            case "pack": return try pack(rest)
            default:
                RenumCommand.printError("unknown plugin command '\(verb)'\n\n\(help)")
                return 2
            }
        } catch let error as ConfigurationError {
            RenumCommand.printError(error.description)
            return 2
        } catch {
            RenumCommand.printError(String(describing: error))
            return 1
        }
    }

    // MARK: new

    static func newPlugin(_ arguments: [String], environment: [String: String]) throws -> Int32 {
        let (positional, options) = try split(arguments, specs: [
            OptionSpec(flag: "lang", environment: nil, valueName: "LANG", defaultText: "swift", help: ""),
            OptionSpec(flag: "dir", environment: nil, valueName: "DIR", defaultText: ".", help: ""),
        ])
        guard positional.count == 1, let name = positional.first else { throw ConfigurationError("usage: renum plugin new NAME [--lang swift|c]") }
        guard name.range(of: #"^[a-z0-9][a-z0-9_-]{1,63}$"#, options: .regularExpression) != nil else {
            throw ConfigurationError("NAME must be 2 to 64 of a-z 0-9 _ - starting with a letter or digit (it becomes the agent_id)")
        }
        let language = options.string("lang") ?? "swift"
        guard ["swift", "c"].contains(language) else { throw ConfigurationError("--lang must be swift or c") }
        let checkout = try sdkCheckout(environment)
        let template = checkout + "/SDK/templates/" + language
        let destination = (options.string("dir") ?? ".") + "/" + name
        guard !FileManager.default.fileExists(atPath: destination) else { throw ConfigurationError("\(destination) already exists") }
        guard let files = FileManager.default.enumerator(atPath: template)?.compactMap({ $0 as? String }) else {
            throw ConfigurationError("no template at \(template)")
        }
        for file in files {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: template + "/" + file, isDirectory: &isDirectory)
            let target = destination + "/" + file
            if isDirectory.boolValue {
                try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
                continue
            }
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let text = try String(contentsOfFile: template + "/" + file, encoding: .utf8)
                .replacingOccurrences(of: "__PLUGIN_NAME__", with: name)
                .replacingOccurrences(of: "__RENUM_CHECKOUT__", with: checkout)
            try text.write(toFile: target, atomically: true, encoding: .utf8)
        }
        print("created \(destination) (\(language)); next: see SDK/README.md")
        return 0
    }

    /// The Renum checkout holding SDK/: RENUM_SDK_DIR, else found above this executable.
    static func sdkCheckout(_ environment: [String: String]) throws -> String {
        if let dir = environment["RENUM_SDK_DIR"], !dir.isEmpty { return dir }
        var directory = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        while directory.path != "/" {
            directory.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: directory.path + "/SDK/templates") { return directory.path }
        }
        throw ConfigurationError("SDK/templates not found above this renum executable; set RENUM_SDK_DIR to the Renum checkout")
    }

    // MARK: validate

    static func validate(_ arguments: [String]) throws -> Int32 {
        let (positional, options) = try split(arguments, specs: [
            OptionSpec(flag: "manifest", environment: nil, valueName: "FILE", defaultText: "", help: ""),
            OptionSpec(flag: "sha256", environment: nil, valueName: "HEX", defaultText: "", help: ""),
            OptionSpec(flag: "json", environment: nil, valueName: nil, defaultText: "", help: ""),
        ])
        guard positional.count == 1, let path = positional.first else { throw ConfigurationError("usage: renum plugin validate PATH.so") }
        let asJSON = options.isSet("json")
        let loader = PluginLoader(services: DenyAllHostServices(logger: .disabled), logger: .disabled)
        do {
            let plugin: LoadedPlugin
            if let manifestFile = options.string("manifest") {
                let registered: PluginManifest
                do {
                    registered = try PluginManifest.parse(try String(contentsOfFile: manifestFile, encoding: .utf8))
                } catch let error as ManifestErrors {
                    return report(valid: false, code: "BAD_MANIFEST", message: error.description, json: asJSON)
                }
                let digest = try options.string("sha256") ?? Hex.encode(Crypto.sha256(Array(readFile(path))))
                plugin = try loader.load(artifactPath: path, sha256: digest, manifest: registered)
            } else {
                plugin = try loader.loadUnregistered(artifactPath: path)
            }
            let manifest = plugin.manifest
            let summary = "\(manifest.agentID) \(manifest.version), ABI \(plugin.abiVersion.major).\(plugin.abiVersion.minor), capabilities: "
                + manifest.capabilities.map(\.name).joined(separator: ", ") + ", isolation: \(manifest.policy.isolation.rawValue)"
            plugin.shutdown()
            return report(valid: true, code: "OK", message: summary, json: asJSON)
        } catch let error as LoadError {
            return report(valid: false, code: error.code, message: error.message, json: asJSON)
        }
    }

    static func report(valid: Bool, code: String, message: String, json: Bool) -> Int32 {
        if json {
            var writer = JSONWriter()
            writer.object { w in w.field("valid", valid); w.field("code", code); w.field("message", message) }
            print(writer.text)
        } else {
            print(valid ? "valid: \(message)" : "refused (\(code)): \(message)")
        }
        return valid ? 0 : 1
    }

    // MARK: invoke

    static func invoke(_ arguments: [String]) throws -> Int32 {
        let (positional, options) = try split(arguments, specs: [
            OptionSpec(flag: "input", environment: nil, valueName: "JSON", defaultText: "{}", help: ""),
            OptionSpec(flag: "credentials", environment: nil, valueName: "FILE", defaultText: "", help: ""),
            OptionSpec(flag: "allow-private-network", environment: nil, valueName: nil, defaultText: "", help: ""),
        ])
        guard positional.count == 2 else { throw ConfigurationError("usage: renum plugin invoke PATH.so CAPABILITY [--input JSON]") }
        var secrets: [String: JSONValue] = [:]
        if let file = options.string("credentials") {
            guard let parsed = JSONText.decode(String(decoding: try readFile(file), as: UTF8.self))?.objectValue else {
                throw ConfigurationError("--credentials must be a JSON object {\"service_type\": {\"field\": \"secret\"}}")
            }
            secrets = parsed
        }
        let logger = Logger(label: "plugin", sink: JSONLineSink(), minimumLevel: .info)
        let services = LocalHostServices(egress: EgressClient(logger: logger), secrets: secrets,
                                         allowPrivateAddresses: options.isSet("allow-private-network"), logger: logger)
        let plugin = try PluginLoader(services: services, logger: logger).loadUnregistered(artifactPath: positional[0])
        let result = plugin.invoke(capability: positional[1], input: Array((options.string("input") ?? "{}").utf8))
        plugin.shutdown()
        var writer = JSONWriter()
        writer.object { w in
            switch result.outcome {
            case .success(let output): w.key("output"); w.raw(String(decoding: output, as: UTF8.self))
            case .failure(let code, let message, let details):
                w.key("error")
                w.object { w in
                    w.field("code", code); w.field("message", message)
                    if let details { w.field("details", details) }
                }
            }
            w.field("metering", result.metering.json)
        }
        print(writer.text)
        return result.outcome.code == "OK" ? 0 : 1
    }

    // MARK: pack

    static func pack(_ arguments: [String]) throws -> Int32 {
        let (positional, options) = try split(arguments, specs: [
            OptionSpec(flag: "out", environment: nil, valueName: "DIR", defaultText: ".", help: ""),
        ])
        guard positional.count == 1, let path = positional.first else { throw ConfigurationError("usage: renum plugin pack PATH.so [--out DIR]") }
        let plugin = try PluginLoader(services: DenyAllHostServices(logger: .disabled), logger: .disabled).loadUnregistered(artifactPath: path)
        let manifest = plugin.manifest
        plugin.shutdown()
        let bytes = try readFile(path)
        let digest = Hex.encode(Crypto.sha256(Array(bytes)))
        let out = options.string("out") ?? "."
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let base = "\(out)/\(manifest.agentID)-\(manifest.version)"
        try bytes.write(to: URL(fileURLWithPath: base + ".so"))
        try (manifest.canonicalJSON + "\n").write(toFile: base + ".manifest.json", atomically: true, encoding: .utf8)
        try "\(digest)  \(manifest.agentID)-\(manifest.version).so\n".write(toFile: base + ".sha256", atomically: true, encoding: .utf8)
        print("""
        packed \(manifest.agentID) \(manifest.version)
          artifact  \(base).so
          manifest  \(base).manifest.json
          sha256    \(digest)
        upload (admin token):
          curl -X POST $RENUM_URL/api/v1/agents -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data-binary @\(base).manifest.json
          curl -X PUT "$RENUM_URL/api/v1/agents/\(manifest.agentID)/versions/\(manifest.version)/artifact" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/octet-stream' --data-binary @\(base).so
        """)
        return 0
    }

    // MARK: helpers

    static func split(_ arguments: [String], specs: [OptionSpec]) throws(ConfigurationError) -> ([String], ParsedOptions) {
        var positional: [String] = []
        var flags: [String] = []
        var index = 0
        let takesValue = Set(specs.filter { !$0.isSwitch }.map { "--" + $0.flag })
        while index < arguments.count {
            let argument = arguments[index]
            if argument.hasPrefix("--") {
                flags.append(argument)
                if takesValue.contains(argument), index + 1 < arguments.count {
                    flags.append(arguments[index + 1])
                    index += 1
                }
            } else {
                positional.append(argument)
            }
            index += 1
        }
        return (positional, try ParsedOptions(arguments: flags, specs: specs, environment: [:]))
    }

    static func readFile(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigurationError("cannot read \(path)") }
        return data
    }
}

/// The host API for `renum plugin invoke`: the server's egress rules, secrets from a local file.
struct LocalHostServices: HostServices {
    let egress: EgressClient
    let secrets: [String: JSONValue]
    let allowPrivateAddresses: Bool
    let logger: Logger

    func httpRequest(_ requestJSON: [UInt8], call: CallInfo) -> HostCallResult {
        do {
            let request = try EgressRequest(json: requestJSON)
            let policy = EgressPolicy(allowedHosts: call.manifest.policy.allowedHosts, allowPrivateAddresses: allowPrivateAddresses)
            return .ok(try egress.perform(request, policy: policy).json())
        } catch {
            switch error.code {
            case .timeout: return .timeout
            case .hostNotAllowed, .addressForbidden, .schemeNotAllowed, .invalidRequest:
                return .denied(code: error.code.rawValue, message: error.message)
            default: return .failed(code: error.code.rawValue, message: error.message)
            }
        }
    }

    func credential(serviceType: String, call: CallInfo) -> HostCallResult {
        guard call.manifest.requiredCredentials.contains(serviceType) else {
            return .denied(code: "POLICY_DENIED", message: "'\(serviceType)' is not in the manifest's required_credentials")
        }
        guard let secret = secrets[serviceType] else { return .notFound }
        var writer = JSONWriter()
        writer.value(secret)
        return .ok(writer.bytes)
    }

    func log(_ level: PluginLogLevel, _ message: String, call: CallInfo?) {
        logger.log(level.logLevel, String(message.prefix(4096)), call.map { ["capability": $0.capability] } ?? [:])
    }
}
