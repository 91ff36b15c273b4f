import ForgeCore
import Foundation
import Testing
@testable import ForgeSandbox

@Suite struct BubblewrapRunnerTests {
    let runner = BubblewrapRunner()

    @Test func bubblewrapIsAvailableHere() async throws {
        try await BubblewrapRunner.checkAvailable()
    }

    @Test func missingBwrapIsReportedWithTheInstallHint() async throws {
        let bogus = "/nonexistent/forge-\(UUID().uuidString)/bwrap"
        let error = await #expect(throws: ForgeError.self) { try await BubblewrapRunner.checkAvailable(bwrapPath: bogus) }
        #expect(error?.code == .sandboxUnavailable)
        #expect(error?.message.contains("bubblewrap is not installed") == true)
        #expect(error?.message.contains(bogus) == true)
        #expect(error?.hint?.contains("apt-get install bubblewrap") == true)
    }

    @Test func namespaceFailureNamesTheCause() async throws {
        let dir = try TestWorkspace("fakebwrap")
        defer { dir.remove() }
        try dir.write("bwrap", "#!/bin/sh\necho 'bwrap: No permissions to creating new namespace, likely because the kernel does not allow non-privileged user namespaces.' >&2\nexit 1\n")
        let fake = dir.url.appendingPathComponent("bwrap").path
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake)
        let error = await #expect(throws: ForgeError.self) { try await BubblewrapRunner.checkAvailable(bwrapPath: fake) }
        #expect(error?.code == .sandboxUnavailable)
        #expect(error?.message.contains("could not set up the sandbox: bwrap: No permissions to creating new namespace") == true)
        #expect(error?.hint?.contains("user namespaces") == true)
    }

    @Test func aSandboxThatNeverStartsThrowsInsteadOfReportingAnExit() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let silent = BubblewrapRunner(bwrapPath: "/bin/false")
        let error = await #expect(throws: ForgeError.self) {
            try await silent.run(SandboxCommand(arguments: ["true"], workspace: workspace.url))
        }
        #expect(error?.code == .sandboxUnavailable)
    }

    @Test func exitStatusAndBothStreamsAreData() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let outcome = try await runner.run(SandboxCommand(
            arguments: ["/bin/sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3"], workspace: workspace.url))
        #expect(outcome.termination == .exited(3))
        #expect(outcome.output.contains("to-stdout\n"))
        #expect(outcome.output.contains("to-stderr\n"))
        #expect(!outcome.output.contains("forge-sandbox-started"))
        #expect(!outcome.outputTruncated)
    }

    @Test func environmentIsOnlyTheBaseAndTheCommandsOwn() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let outcome = try await runner.run(SandboxCommand(
            arguments: ["/usr/bin/env"], workspace: workspace.url, environment: ["FORGE_PROFILE_VAR": "yes"]))
        let names = Set(outcome.output.split(separator: "\n").compactMap { $0.split(separator: "=").first.map(String.init) })
        #expect(names == ["PATH", "HOME", "LANG", "TMPDIR", "PWD", "FORGE_PROFILE_VAR"])
        #expect(outcome.output.contains("HOME=/tmp/home\n"))
        #expect(outcome.output.contains("PWD=/workspace\n"))
    }

    @Test func onlyTheWorkspaceAndTmpAreWritable() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let tmpName = "forge-private-tmp-\(UUID().uuidString)"
        let script = """
        echo made > /workspace/made.txt && echo ws-ok
        echo t > /tmp/\(tmpName) && echo tmp-ok
        touch /forge-root-canary 2>/dev/null || echo root-ro
        touch /usr/forge-usr-canary 2>/dev/null || echo usr-ro
        test -e /etc/passwd || echo no-passwd
        """
        let outcome = try await runner.run(SandboxCommand(arguments: ["/bin/sh", "-c", script], workspace: workspace.url))
        #expect(outcome.termination == .exited(0))
        #expect(outcome.output == "ws-ok\ntmp-ok\nroot-ro\nusr-ro\nno-passwd\n")
        #expect(try workspace.read("made.txt") == "made\n")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/\(tmpName)"))
        #expect(!FileManager.default.fileExists(atPath: "/usr/forge-usr-canary"))
    }

    @Test func readOnlyPathsThatWouldExposeHomeAreRefused() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let home = NSHomeDirectory()
        for path in ["/", home, (home as NSString).deletingLastPathComponent, home + "/.ssh", "/etc"] {
            let error = await #expect(throws: ForgeError.self, "\(path)") {
                try await runner.run(SandboxCommand(arguments: ["true"], workspace: workspace.url, readOnlyPaths: [path]))
            }
            #expect(error?.code == .config)
            #expect(error?.message.contains("refusing to mount") == true)
        }
    }

    @Test func outputIsCappedWithAMarkerWhileTheChildRunsToTheEnd() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        try workspace.copyFixtures(["flood.py"])
        let toolchain = try await TestVerifier(profile: Repository.pythonProfile(), runner: runner).toolchain()
        let interpreter = try #require(toolchain.interpreter)
        let limit = 64 << 10
        let outcome = try await runner.run(SandboxCommand(
            arguments: [interpreter, "flood.py"], workspace: workspace.url, readOnlyPaths: toolchain.mounts,
            limits: SandboxLimits(timeoutSeconds: 120, outputBytes: limit)))
        #expect(outcome.termination == .exited(0))
        #expect(outcome.outputTruncated)
        let marker = outcome.output.split(separator: "\n").last.map(String.init) ?? ""
        #expect(marker.hasPrefix("[forge: output truncated: kept the first \(limit) bytes, dropped "))
        #expect(outcome.output.utf8.count <= limit + marker.utf8.count + 2)
        #expect(outcome.output.contains(String(repeating: "x", count: 1023) + "\n"))
    }

    @Test func timeoutKillsTheWholeTree() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let marker = "forge-timeout-marker-\(UUID().uuidString)"
        // A background child in its own session ignoring SIGTERM, and a foreground that ignores it too.
        let script = """
        setsid sh -c 'trap "" TERM; sleep 1000; : \(marker)' &
        trap "" TERM
        sleep 1000; : \(marker)
        """
        let outcome = try await runner.run(SandboxCommand(
            arguments: ["/bin/sh", "-c", script], workspace: workspace.url,
            limits: SandboxLimits(timeoutSeconds: 2, outputBytes: 4096)))
        #expect(outcome.termination == .timedOut(seconds: 2))
        #expect(outcome.durationSeconds >= 2)
        // Loose sanity bound: the run ends with the limit, not with the 1000 s sleep.
        #expect(outcome.durationSeconds < 60)
        #expect(ProcessScan.pids(withMarker: marker).isEmpty)
    }

    @Test func backgroundProcessesDieWithTheSandbox() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let marker = "forge-leftover-marker-\(UUID().uuidString)"
        let outcome = try await runner.run(SandboxCommand(
            arguments: ["/bin/sh", "-c", "setsid sh -c 'sleep 1000; : \(marker)' > /dev/null 2>&1 & sleep 0.5; echo done"],
            workspace: workspace.url))
        #expect(outcome.termination == .exited(0))
        #expect(outcome.output == "done\n")
        #expect(ProcessScan.pids(withMarker: marker).isEmpty)
    }

    @Test func cancellingTheRunKillsTheSandbox() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let marker = "forge-cancel-marker-\(UUID().uuidString)"
        let runner = runner
        let run = Task {
            try await runner.run(SandboxCommand(arguments: ["/bin/sh", "-c", "sleep 1000; : \(marker)"],
                                                workspace: workspace.url))
        }
        // Wait (bounded) until the sandboxed shell is running, then interrupt. The bound is wide: the
        // run may first wait for one of the slots the whole suite's sandboxes share.
        for _ in 0 ..< 6000 where ProcessScan.pids(withMarker: marker).isEmpty {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(!ProcessScan.pids(withMarker: marker).isEmpty)
        run.cancel()
        await #expect(throws: CancellationError.self) { try await run.value }
        #expect(ProcessScan.pids(withMarker: marker).isEmpty)
    }

    @Test func cancellingARunThatWaitsForASlotIsACancellationNotALaunchFailure() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        var runner = runner
        runner.slots = SandboxSlots(capacity: 1)
        let slots = runner.slots
        let gate = SandboxSlotsTests.Gate()
        let holder = Task { try await slots.withSlot { await gate.wait() } }
        defer { gate.open() }
        for _ in 0 ..< 500 where await slots.usage.inUse == 0 { try await Task.sleep(for: .milliseconds(10)) }
        let marker = "forge-never-started-\(UUID().uuidString)"
        let waiting = runner
        let run = Task {
            try await waiting.run(SandboxCommand(arguments: ["/bin/sh", "-c", "sleep 1000; : \(marker)"], workspace: workspace.url))
        }
        for _ in 0 ..< 500 where await slots.usage.waiting == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(await slots.usage.waiting == 1)
        run.cancel()
        await #expect(throws: CancellationError.self) { try await run.value }
        #expect(ProcessScan.pids(withMarker: marker).isEmpty)
        gate.open()
        try await holder.value
    }
}
