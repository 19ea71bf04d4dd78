// renum-sandbox-bench: the round trip of a no-op invoke in process mode (a sandboxed
// `renum worker`) beside in-process mode (LoadedPlugin.invoke), same plugin, same run.
//
//   renum-sandbox-bench <renum executable> <plugin .so> <manifest.json> [calls]
import Foundation
import RenumManifest
import RenumObservability
import RenumRuntime
import RenumSandbox

func percentile(_ sorted: [UInt64], _ p: Double) -> Double {
    Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1000
}

func nanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

let arguments = CommandLine.arguments
guard arguments.count >= 4 else {
    print("usage: renum-sandbox-bench <renum> <plugin.so> <manifest.json> [calls]")
    exit(2)
}
let (renum, artifact) = (arguments[1], arguments[2])
let calls = arguments.count > 4 ? Int(arguments[4]) ?? 20_000 : 20_000
let warmup = 2_000
let manifest = try PluginManifest.parse([UInt8](Data(contentsOf: URL(fileURLWithPath: arguments[3]))))
let sha = try { () -> String in
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    process.arguments = [artifact]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    process.waitUntilExit()
    return String(String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64))
}()
let services = DenyAllHostServices(logger: .disabled)
let capability = "echo"
let input = Array("{}".utf8)
let call = CallInfo(agentID: manifest.agentID, version: manifest.version, capability: capability, userID: nil, requestID: "bench", manifest: manifest)

// In process.
let plugin = try PluginLoader(services: services, logger: .disabled).load(artifactPath: artifact, sha256: sha, manifest: manifest)
var inProcess: [UInt64] = []
inProcess.reserveCapacity(calls)
for index in 0..<(warmup + calls) {
    let start = nanoseconds()
    let result = plugin.invoke(capability: capability, input: input, call: call)
    let elapsed = nanoseconds() - start
    guard result.output != nil else { print("in-process call failed: \(result.outcome)"); exit(1) }
    if index >= warmup { inProcess.append(elapsed) }
}

// In a worker (sequential calls: the round trip, not the throughput).
let worker = try await PluginWorker.start(manifest: manifest, artifactPath: artifact, sha256: sha, services: services,
                                          options: WorkerOptions(executablePath: renum))
var process: [UInt64] = []
process.reserveCapacity(calls)
for index in 0..<(warmup + calls) {
    let start = nanoseconds()
    let answer = await worker.invoke(capability: capability, input: input, call: call)
    let elapsed = nanoseconds() - start
    guard answer.result.output != nil else { print("process call failed: \(answer.result.outcome)"); exit(1) }
    if index >= warmup { process.append(elapsed) }
}
let sandbox = worker.sandbox
await worker.stop()

inProcess.sort()
process.sort()
let (inP50, inP99) = (percentile(inProcess, 0.50), percentile(inProcess, 0.99))
let (prP50, prP99) = (percentile(process, 0.50), percentile(process, 0.99))
print("no-op invoke round trip, \(calls) calls after \(warmup) warm-up, plugin \(manifest.agentID) '\(capability)'")
print(String(format: "  in-process : p50 %8.2f µs   p99 %8.2f µs", inP50, inP99))
print(String(format: "  process    : p50 %8.2f µs   p99 %8.2f µs", prP50, prP99))
print(String(format: "  ratio      : p50 %8.1fx     p99 %8.1fx", prP50 / max(inP50, 0.001), prP99 / max(inP99, 0.001)))
print("  goal       : process p50 <= 50 µs: \(prP50 <= 50 ? "met" : "NOT met")")
if let sandbox {
    print("  worker     : network namespace \(sandbox.networkNamespace), RLIMIT_AS \(sandbox.addressSpaceLimitBytes >> 20) MiB, "
          + "resting RSS peak \(sandbox.restingPeakBytes >> 20) MiB, resting VmSize \(sandbox.restingAddressSpaceBytes >> 20) MiB")
}
