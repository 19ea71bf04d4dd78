// renum-bench: the cost of one in-process plugin call through the runtime, against
// baselines measured in the same run. Usage (bench/invoke.sh does all of it):
//
//   renum-bench PATH/libnoop.so [CALLS]
//
// Measured: LoadedPlugin.invoke of the no-op capability (schemas {}: syntax check only),
// the same with a {"type": "object"} schema (parse + validate in and out), the async
// AgentRuntime path (thread hop + deadline timer), and two baselines: the plugin's
// on_invoke called straight through its C function pointer (plus on_free), and an
// opaque Swift closure call.
import Foundation
import RenumManifest
import RenumObservability
import RenumRuntime
#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: renum-bench PATH/libnoop.so [CALLS]\n".utf8))
    exit(2)
}
let path = arguments[1]
let calls = arguments.count > 2 ? Int(arguments[2]) ?? 2_000_000 : 2_000_000
let warmup = calls / 10

func nanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

struct Figure {
    let name: String
    let nsPerCall: Double
}

/// Runs `body` warmup + calls times; returns ns per call of the timed part.
@inline(never)
func measure(_ name: String, calls: Int, _ body: () -> Bool) -> Figure {
    for _ in 0..<warmup where !body() { fatalError("\(name): call failed during warm-up") }
    let start = nanoseconds()
    for _ in 0..<calls where !body() { fatalError("\(name): call failed") }
    let figure = Figure(name: name, nsPerCall: Double(nanoseconds() - start) / Double(calls))
    print(String(format: "%-44@ %9.1f ns/call %12.0f calls/s", figure.name as NSString, figure.nsPerCall, 1e9 / figure.nsPerCall))
    return figure
}

let loader = PluginLoader(services: DenyAllHostServices(logger: .disabled), logger: .disabled)
let plugin: LoadedPlugin
do {
    plugin = try loader.loadUnregistered(artifactPath: path)
} catch {
    FileHandle.standardError.write(Data("cannot load \(path): \(error)\n".utf8))
    exit(1)
}
let input = Array("{}".utf8)
print("renum-bench: \(calls) calls per figure after \(warmup) warm-up calls, \(ProcessInfo.processInfo.activeProcessorCount) cores")

// Baseline 1: the plugin's on_invoke through its C function pointer, no host around it.
let direct = DirectCall(path: path)
let cBaseline = measure("baseline: C on_invoke + on_free, direct", calls: calls) { direct.call(input) }

// Baseline 2: an opaque Swift closure that returns the same bytes.
let closures: [@Sendable ([UInt8]) -> [UInt8]] = [{ _ in [0x7B, 0x7D] }]
let closure = closures[Int.random(in: 0..<1)]
let swiftBaseline = measure("baseline: Swift closure call", calls: calls) { closure(input).count == 2 }

let invoke = measure("LoadedPlugin.invoke noop (metered, {} schema)", calls: calls) {
    plugin.invoke(capability: "noop", input: input).output != nil
}
let typed = measure("LoadedPlugin.invoke typed (+ type:object schema)", calls: calls) {
    plugin.invoke(capability: "typed", input: input).output != nil
}

// The async path the HTTP layer uses, on fewer calls (each crosses threads).
let runtime = AgentRuntime(services: DenyAllHostServices(logger: .disabled), logger: .disabled)
let asyncCalls = max(1, calls / 40)
do {
    try runtime.load(manifest: plugin.manifest, artifactPath: path, sha256: sha256Hex(path), config: Array("{}".utf8))
    try runtime.activate(agentID: plugin.manifest.agentID, version: plugin.manifest.version)
} catch {
    FileHandle.standardError.write(Data("runtime load failed: \(error)\n".utf8))
    exit(1)
}
let asyncFigure = await measureAsync("AgentRuntime.invoke (async, 1 caller)", calls: asyncCalls, concurrency: 1)
let asyncParallel = await measureAsync("AgentRuntime.invoke (async, 8 callers)", calls: asyncCalls, concurrency: 8)

func measureAsync(_ name: String, calls: Int, concurrency: Int) async -> Figure {
    let start = nanoseconds()
    let failures = await withTaskGroup(of: Int.self) { group -> Int in
        for _ in 0..<concurrency {
            group.addTask {
                var failed = 0
                for _ in 0..<(calls / concurrency) {
                    let result = await runtime.invoke(agentID: "bench-noop", capability: "noop", input: input)
                    if result.output == nil { failed += 1 }
                }
                return failed
            }
        }
        return await group.reduce(0, +)
    }
    let figure = Figure(name: name, nsPerCall: Double(nanoseconds() - start) / Double(calls / concurrency * concurrency))
    print(String(format: "%-44@ %9.1f ns/call %12.0f calls/s (%d failed)", figure.name as NSString, figure.nsPerCall,
                 1e9 / figure.nsPerCall, failures))
    return figure
}

print(String(format: "overhead of LoadedPlugin.invoke over the direct C call: %.1f ns (%.1fx); goal <= 1000 ns per call: %@",
             invoke.nsPerCall - cBaseline.nsPerCall, invoke.nsPerCall / cBaseline.nsPerCall,
             invoke.nsPerCall <= 1000 ? "met" : "NOT met"))
_ = (swiftBaseline, typed, asyncFigure, asyncParallel)
