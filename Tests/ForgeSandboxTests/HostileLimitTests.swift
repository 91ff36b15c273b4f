import ForgeCore
import Foundation
import Testing
@testable import ForgeSandbox

/// The resource attacks in `Fixtures/hostile/` — fork bomb, memory bomb, CPU spin, 100 MB of
/// output — through the real verifier and bubblewrap, with small limits. Each run must end by a
/// limit, the `TestReport` must say which, and afterwards nothing of it may be left on the machine.
@Suite struct HostileLimitTests {
    static let enforcement = LimitEnforcement.detect()

    struct Run {
        var report: TestReport
        var outcomes: [SandboxOutcome]
    }

    func run(_ fixture: String, config: [String: Any] = [:], limits: SandboxLimits,
             enforcement: LimitEnforcement = HostileLimitTests.enforcement, marker: String? = nil) async throws -> Run {
        let workspace = try TestWorkspace("limit")
        defer { workspace.remove() }
        try workspace.copyFixtures([fixture, "hostile_support.py"])
        try JSONSerialization.data(withJSONObject: config).write(to: workspace.url.appendingPathComponent("hostile_config.json"))
        var profile = try Repository.pythonProfile()
        profile.limits = limits
        let runner = RecordingRunner(BubblewrapRunner(enforcement: enforcement))
        let report = try await TestVerifier(profile: profile, runner: runner).verify(workspace: workspace.url)
        let aftermath = await HostAftermath.problems(marker: marker, outcomes: runner.outcomes)
        #expect(aftermath == [], "after \(fixture)")
        return Run(report: report, outcomes: runner.outcomes)
    }

    @Test(.enabled(if: enforcement.cgroups.placements[.pids] != nil,
                   "a fork bomb run as root is stopped only by a pids cgroup, which this host does not let forge create"))
    func forkBombIsHeldByTheProcessLimitAndEndedByTheTimeout() async throws {
        let marker = "forge-fork-bomb-\(UUID().uuidString)"
        // The timeout is what ends the run; it must leave room for pytest to start and the bomb to
        // reach the limit on a loaded machine (at 5s, a busy 2-core CI box sometimes got neither).
        let limits = SandboxLimits(timeoutSeconds: 20, memoryBytes: 512 << 20, maxProcesses: 48, cpus: 1)
        let result = try await run("test_fork_bomb.py", config: ["marker": marker], limits: limits, marker: marker)
        let report = result.report
        #expect(report.termination == .timedOut(seconds: 20))
        #expect(!report.allPassed)
        #expect(report.problem?.contains("timed out after 20s") == true, "\(report.problem ?? "")")
        #expect(report.problem?.contains("the sandbox's process limit (48) refused") == true, "\(report.problem ?? "")")
        #expect(result.outcomes.last?.limitEvents.contains { if case .processLimit = $0 { true } else { false } } == true)
    }

    @Test(.enabled(if: enforcement.cgroups.placements[.memory] != nil, "needs a memory cgroup"))
    func memoryBombIsKilledByTheMemoryCgroup() async throws {
        let limits = SandboxLimits(timeoutSeconds: 120, memoryBytes: 256 << 20, maxProcesses: 64)
        let report = try await run("test_memory_bomb.py", limits: limits).report
        #expect(!report.allPassed)
        #expect(!report.timedOut)
        #expect(report.problem?.contains("the sandbox's memory limit (256 MiB) was reached: the OOM killer ended") == true,
                "\(report.summary)\n\(report.output.suffix(2000))")
        #expect(report.output.contains("[forge: the sandbox's memory limit (256 MiB) was reached"))
    }

    @Test func memoryBombFailsItsAllocationsUnderRlimitsAlone() async throws {
        let limits = SandboxLimits(timeoutSeconds: 120, memoryBytes: 256 << 20, maxProcesses: 64)
        let report = try await run("test_memory_bomb.py", limits: limits, enforcement: .rlimitsOnly()).report
        #expect(!report.allPassed)
        #expect(!report.timedOut)
        let failure = try #require(report.failures.first, "\(report.summary)\n\(report.output.suffix(2000))")
        #expect(failure.name == "test_memory_bomb::test_memory_bomb")
        #expect((failure.message ?? "").contains("MemoryError"), "\(failure.message ?? "")")
    }

    @Test func cpuSpinIsKilledAtItsCPUTimeLimit() async throws {
        let limits = SandboxLimits(timeoutSeconds: 300, cpuSeconds: 2, cpus: 1)
        let report = try await run("test_cpu_spin.py", limits: limits).report
        #expect(!report.allPassed)
        // bwrap reports the killed test process as 128 + SIGXCPU; the wall clock never ran out.
        #expect(report.termination == .exited(128 + SIGXCPU), "\(report.summary)")
        #expect(report.problem?.contains("a process used up its CPU time limit (2s) and was killed (SIGXCPU)") == true,
                "\(report.problem ?? "")")
    }

    @Test func hundredMegabytesOfOutputAreCappedAndTheReportStillRead() async throws {
        let limits = SandboxLimits(timeoutSeconds: 300, outputBytes: 1 << 20)
        let result = try await run("test_flood.py", limits: limits)
        let report = result.report
        #expect(report.passed == 1 && report.allPassed, "\(report.summary)")
        #expect(report.outputTruncated)
        #expect(report.output.contains("[forge: output truncated: kept the first 1048576 bytes, dropped "))
        #expect(report.output.utf8.count < 2 << 20)
        #expect(result.outcomes.last?.limitEvents.contains(.outputCapped(keptBytes: 1 << 20)) == true)
    }
}
