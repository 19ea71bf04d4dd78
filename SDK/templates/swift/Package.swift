// swift-tools-version:6.0
// __PLUGIN_NAME__: a Renum subagent plugin in Swift. `swift build` produces
// .build/debug/lib__PLUGIN_NAME__.so; `swift test` runs it under the SDK's FakeHost.
import PackageDescription

// ┌──────────────────────────────────────────────────────────────────────────┐
// │ RENUM_CHECKOUT: the path to your Renum checkout (the directory holding   │
// │ Renum's Package.swift and SDK/). `renum plugin new` fills it in; set it  │
// │ by hand if you copied this template yourself.                            │
// └──────────────────────────────────────────────────────────────────────────┘
let renumCheckout = "__RENUM_CHECKOUT__"

let package = Package(
    name: "__PLUGIN_NAME__",
    products: [
        // The shared library the host loads.
        .library(name: "__PLUGIN_NAME__", type: .dynamic, targets: ["Subagent"]),
    ],
    dependencies: [
        .package(path: renumCheckout),
    ],
    targets: [
        .target(name: "Subagent",
                dependencies: [.product(name: "RenumPluginSDK", package: renumPackageIdentity)],
                path: "Sources/Subagent"),
        .testTarget(name: "SubagentTests",
                    dependencies: ["Subagent", .product(name: "RenumPluginSDK", package: renumPackageIdentity)],
                    path: "Tests/SubagentTests"),
    ],
    swiftLanguageModes: [.v6]
)

// SwiftPM names a path dependency after its directory's last component.
var renumPackageIdentity: String {
    String(renumCheckout.split(separator: "/").last ?? "renum").lowercased()
}
