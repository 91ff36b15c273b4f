import ForgeCore
import Foundation
import Testing
@testable import ForgeSandbox

/// `--sandbox none`: no isolation, but a clean environment, a private home, the limits, and a
/// cgroup that ends whatever the run left behind.
@Suite struct UnsandboxedRunnerTests {
    let runner = UnsandboxedRunner()

    @Test func runsInTheWorkspaceWithACleanEnvironment() async throws {
        let workspace = try TestWorkspace("none")
        defer { workspace.remove() }
        setenv("FORGE_NONE_CANARY", "sk-none-\(UUID().uuidString)", 0)
        let outcome = try await runner.run(SandboxCommand(
            arguments: ["/bin/sh", "-c", "pwd; env; echo x > made.txt"], workspace: workspace.url,
            environment: ["FORGE_PROFILE_VAR": "yes"]))
        #expect(outcome.termination == .exited(0))
        let lines = outcome.output.split(separator: "\n").map(String.init)
        #expect(lines.first == workspace.url.path)
        let names = Set(lines.dropFirst().compactMap { $0.split(separator: "=").first.map(String.init) })
        #expect(names == ["PATH", "HOME", "LANG", "TMPDIR", "PWD", "FORGE_PROFILE_VAR"], "\(names)")
        #expect(!outcome.output.contains("FORGE_NONE_CANARY"))
        let home = try #require(lines.first { $0.hasPrefix("HOME=") }.map { String($0.dropFirst(5)) })
        #expect(home != NSHomeDirectory())
        #expect(!FileManager.default.fileExists(atPath: home), "the private home outlived the run")
        #expect(workspace.exists("made.txt"))
    }

    @Test func limitsApplyWithoutASandbox() async throws {
        let workspace = try TestWorkspace("none")
        defer { workspace.remove() }
        let outcome = try await runner.run(SandboxCommand(
            arguments: ["cat", "/proc/self/limits"], workspace: workspace.url,
            limits: SandboxLimits(timeoutSeconds: 30, cpuSeconds: 11, fileSizeBytes: 1 << 20)))
        #expect(outcome.output.contains("Max cpu time              11                   13                   seconds"), "\(outcome.output)")
    }

    @Test(.enabled(if: LimitEnforcementTests.host.cgroups.placements[.pids] != nil,
                   "without a pids cgroup nothing ends a daemon that left the run's session"))
    func aDaemonLeftBehindIsKilledThroughTheCgroup() async throws {
        let workspace = try TestWorkspace("none")
        defer { workspace.remove() }
        let marker = "forge-none-daemon-\(UUID().uuidString)"
        let daemon = "setsid sh -c 'while :; do echo alive >> late.txt; sleep 0.1; done; : \(marker)' > /dev/null 2>&1 < /dev/null &"
        let outcome = try await runner.run(SandboxCommand(arguments: ["/bin/sh", "-c", "\(daemon) sleep 0.3; echo left"],
                                                          workspace: workspace.url))
        #expect(outcome.output == "left\n")
        #expect(ProcessScan.pids(withMarker: marker).isEmpty, "the daemon outlived the unsandboxed run")
        let size = { (try? FileManager.default.attributesOfItem(atPath: workspace.url.appendingPathComponent("late.txt").path)[.size] as? Int) ?? 0 }
        let before = size()
        try await Task.sleep(for: .seconds(1))
        #expect(size() == before)
        for directory in outcome.cgroupDirectories { #expect(!FileManager.default.fileExists(atPath: directory)) }
    }

    @Test func timeoutKillsTheTree() async throws {
        let workspace = try TestWorkspace("none")
        defer { workspace.remove() }
        let marker = "forge-none-timeout-\(UUID().uuidString)"
        let outcome = try await runner.run(SandboxCommand(
            arguments: ["/bin/sh", "-c", "sleep 1000; : \(marker)"], workspace: workspace.url,
            limits: SandboxLimits(timeoutSeconds: 1, outputBytes: 4096)))
        #expect(outcome.termination == .timedOut(seconds: 1))
        #expect(outcome.limitEvents.first == .timedOut(seconds: 1))
        #expect(ProcessScan.pids(withMarker: marker).isEmpty)
    }

    @Test func aMissingProgramIsAnExitStatusNotALaunchFailure() async throws {
        let workspace = try TestWorkspace("none")
        defer { workspace.remove() }
        let outcome = try await runner.run(SandboxCommand(arguments: ["no-such-program-\(UUID().uuidString)"], workspace: workspace.url))
        #expect(outcome.termination == .exited(127))
    }
}
