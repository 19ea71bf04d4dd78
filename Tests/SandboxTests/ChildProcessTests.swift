import Foundation
import RenumSandbox
import Testing

@Suite("ChildProcess")
struct ChildProcessTests {
    @Test func capturesOutputErrorsAndStatus() throws {
        let result = try ChildProcess.run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"])
        #expect(result.status == 3)
        #expect(result.stdout == "out\n")
        #expect(result.stderr == "err\n")
    }

    @Test func feedsInputAndDrainsLargeOutputWithoutBlocking() throws {
        let input = Array(repeating: UInt8(ascii: "x"), count: 1_000_000)
        let result = try ChildProcess.run("/bin/cat", [], input: input)
        #expect(result.status == 0)
        #expect(result.stdout.utf8.count == 1_000_000)
    }

    @Test func aKilledChildReportsItsSignalAndNothingElseIsInherited() throws {
        let sleeper = try ChildProcess("/bin/sleep", ["30"])
        #expect(sleeper.isRunning)
        sleeper.signal(SIGKILL)
        #expect(sleeper.waitUntilExit() == 128 + SIGKILL)
        #expect(sleeper.exitStatus == 128 + SIGKILL)
        // Descriptors of ours (a file held open here) never reach a child: only 0, 1, 2 and ls's own.
        let held = open("/dev/null", O_RDONLY)
        defer { close(held) }
        let listing = try ChildProcess.run("/bin/ls", ["/proc/self/fd"])
        #expect(Set(listing.stdout.split(separator: "\n")).isSubset(of: ["0", "1", "2", "3"]))
    }

    @Test func droppingAChildThatStillRunsKillsIt() throws {
        var pid: Int32 = 0
        do {
            let sleeper = try ChildProcess("/bin/sleep", ["30"])  // output captured: drain threads running
            pid = sleeper.pid
            #expect(kill(pid, 0) == 0)
        }
        // Killed and reaped by deinit: the pid names no process any more.
        #expect(kill(pid, 0) == -1 && errno == ESRCH)
    }

    @Test func aMissingExecutableIsAThrownError() {
        #expect(throws: ChildProcess.SpawnError.self) { try ChildProcess("/nonexistent/tool", []) }
    }
}
