// swift-tools-version:6.0
// Renum: one host process serving the HTTP API, the plugin runtime and storage.
// Dependencies point one way: renum → App → features (Integrations, …) →
// HTTP / Storage / Security → Observability → Core. C libraries come from
// Debian's -dev packages through system library targets, never from outside packages.
import PackageDescription

let package = Package(
    name: "renum",
    products: [
        .executable(name: "renum", targets: ["renum"]),
        // What third-party plugin authors depend on: the C ABI and the Swift SDK over it.
        .library(name: "RenumPluginSDK", targets: ["RenumPluginSDK"]),
        // Example plugins: each a dynamic library the host dlopens (libexample-echo.so).
        .library(name: "example-echo", type: .dynamic, targets: ["ExampleEcho"]),
        // Bundled first-party plugins, registered at start from manifests/.
        .library(name: "sa-http-generic", type: .dynamic, targets: ["SAHTTPGeneric"]),
    ],
    targets: [
        // C libraries, each behind a module map and a shim header.
        .systemLibrary(name: "CMicroHTTPD", path: "Host/CMicroHTTPD",
                       pkgConfig: "libmicrohttpd", providers: [.apt(["libmicrohttpd-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Host/CSQLite",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Host/COpenSSL",
                       pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CCurl", path: "Host/CCurl",
                       pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CSeccomp", path: "Host/CSeccomp",
                       providers: [.apt(["libseccomp-dev"])]),

        // The plugin C ABI (renum_plugin.h) and the Swift SDK plugin authors write against.
        .target(name: "CRenumPlugin", path: "SDK/c"),
        .target(name: "RenumPluginSDK", dependencies: ["CRenumPlugin"], path: "SDK/Swift"),
        .target(name: "ExampleEcho", dependencies: ["RenumPluginSDK"], path: "Plugins/examples/swift-echo"),
        .target(name: "SAHTTPGeneric", dependencies: ["RenumPluginSDK"], path: "Plugins/sa-http-generic"),

        // Base layer.
        .target(name: "RenumCore", path: "Host/Core"),
        .target(name: "RenumObservability", dependencies: ["RenumCore"], path: "Host/Observability"),
        .target(name: "RenumHTTP", dependencies: ["RenumCore", "RenumObservability", "CMicroHTTPD"],
                path: "Host/HTTP"),
        .target(name: "RenumStorage", dependencies: ["RenumCore", "CSQLite"],
                path: "Host/Storage"),
        .target(name: "RenumSecurity", dependencies: ["RenumCore", "COpenSSL"], path: "Host/Security"),

        .target(name: "RenumJSONSchema", dependencies: ["RenumCore"], path: "Host/JSONSchema"),
        .target(name: "RenumEgress", dependencies: ["RenumCore", "RenumObservability", "CCurl"], path: "Host/Egress"),
        .target(name: "RenumManifest", dependencies: ["RenumCore", "RenumJSONSchema"], path: "Host/Manifest"),
        .target(name: "RenumRuntime",
                dependencies: ["RenumCore", "RenumObservability", "RenumManifest", "RenumJSONSchema", "RenumSecurity", "CRenumPlugin"],
                path: "Host/Runtime"),
        // Process isolation: `renum worker` (seccomp, rlimits) and the host side that runs it.
        .target(name: "RenumSandbox",
                dependencies: ["RenumCore", "RenumObservability", "RenumManifest", "RenumRuntime", "CSeccomp"],
                path: "Host/Sandbox"),
        .target(name: "RenumWebhooks", dependencies: ["RenumCore", "RenumSecurity"], path: "Host/Webhooks"),

        // Features.
        .target(name: "RenumIntegrations",
                dependencies: ["RenumCore", "RenumHTTP", "RenumStorage", "RenumSecurity", "RenumWebhooks"],
                path: "Host/Integrations"),

        .target(name: "RenumRegistry",
                dependencies: ["RenumCore", "RenumObservability", "RenumHTTP", "RenumStorage", "RenumSecurity", "RenumManifest"],
                path: "Host/Registry"),
        .target(name: "RenumCredentials",
                dependencies: ["RenumCore", "RenumHTTP", "RenumStorage", "RenumSecurity"],
                path: "Host/Credentials"),

        // Composition root and the command.
        .target(name: "RenumApp",
                dependencies: ["RenumCore", "RenumObservability", "RenumHTTP", "RenumStorage",
                               "RenumSecurity", "RenumIntegrations", "RenumCredentials", "RenumRegistry",
                               "RenumRuntime", "RenumManifest", "RenumEgress", "RenumWebhooks", "RenumSandbox"],
                path: "Host/App"),
        .executableTarget(name: "renum", dependencies: ["RenumApp"], path: "Host/renum"),
        // The in-process invoke benchmark (bench/invoke.sh builds it in release).
        .executableTarget(name: "renum-bench", dependencies: ["RenumRuntime", "RenumManifest"], path: "bench/swift"),
        // The process-mode invoke benchmark (bench/process-invoke.sh builds it in release).
        .executableTarget(name: "renum-sandbox-bench", dependencies: ["RenumSandbox", "RenumRuntime", "RenumManifest", "RenumObservability"],
                          path: "bench/sandbox"),

        // Tests: one target per library, plus live tests against the real server.
        .target(name: "RenumTestSupport", dependencies: ["RenumSandbox"], path: "Tests/Support"),
        .testTarget(name: "CoreTests", dependencies: ["RenumCore", "RenumTestSupport"], path: "Tests/CoreTests"),
        .testTarget(name: "HTTPTests", dependencies: ["RenumHTTP", "RenumTestSupport"], path: "Tests/HTTPTests"),
        .testTarget(name: "StorageTests", dependencies: ["RenumStorage", "RenumTestSupport"], path: "Tests/StorageTests"),
        .testTarget(name: "SecurityTests", dependencies: ["RenumSecurity"], path: "Tests/SecurityTests"),
        .testTarget(name: "EgressTests", dependencies: ["RenumEgress", "RenumTestSupport"], path: "Tests/EgressTests"),
        .testTarget(name: "RuntimeTests", dependencies: ["RenumRuntime", "RenumManifest", "RenumTestSupport", "RenumSandbox", "CRenumPlugin",
                                                        "RenumCore", "RenumObservability", "RenumSecurity"],
                    path: "Tests/RuntimeTests"),
        .testTarget(name: "SandboxTests", dependencies: ["RenumSandbox", "RenumRuntime", "RenumManifest", "RenumTestSupport", "CRenumPlugin",
                                                        "RenumCore", "RenumObservability"],
                    path: "Tests/SandboxTests"),
        .testTarget(name: "WebhooksTests", dependencies: ["RenumWebhooks", "RenumSecurity"], path: "Tests/WebhooksTests"),
        .testTarget(name: "JSONSchemaTests", dependencies: ["RenumJSONSchema", "RenumTestSupport"], path: "Tests/JSONSchemaTests"),
        // ExampleEcho is linked in for the FakeHost tests; the dlopen tests load the built
        // libexample-echo.so (a separate image), which `swift build` produces.
        .testTarget(name: "PluginSDKTests", dependencies: ["RenumPluginSDK", "CRenumPlugin", "ExampleEcho", "RenumSandbox"],
                    path: "Tests/PluginSDKTests"),
        .testTarget(name: "IntegrationsTests",
                    dependencies: ["RenumIntegrations", "RenumStorage", "RenumSecurity", "RenumWebhooks", "RenumTestSupport", "RenumSandbox"],
                    path: "Tests/IntegrationsTests"),
        .testTarget(name: "AppTests", dependencies: ["RenumApp", "RenumSecurity", "RenumStorage", "RenumObservability", "RenumHTTP", "RenumCore", "RenumTestSupport", "RenumSandbox"], path: "Tests/AppTests"),
    ],
    swiftLanguageModes: [.v6]
)
