import ForgeCore
import Foundation
import Testing
@testable import ForgeSandbox

/// How limits reach the sandboxed processes: rlimits through prlimit, the per-run cgroup joined
/// before bwrap starts, and what `forge doctor` says about each.
@Suite struct LimitEnforcementTests {
    static let host = LimitEnforcement.detect()

    func run(_ script: String, limits: SandboxLimits, enforcement: LimitEnforcement = LimitEnforcementTests.host) async throws
        -> (SandboxOutcome, TestWorkspace) {
        let workspace = try TestWorkspace("limits")
        let outcome = try await BubblewrapRunner(enforcement: enforcement).run(SandboxCommand(
            arguments: ["/bin/sh", "-c", script], workspace: workspace.url, limits: limits))
        return (outcome, workspace)
    }

    /// The soft and hard values of one `/proc/self/limits` row, e.g. "Max cpu time".
    func limitRow(_ name: String, in output: String) -> [String]? {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return nil }
        return line.dropFirst(name.count).split(separator: " ").prefix(2).map(String.init)
    }

    @Test func rlimitsReachTheSandboxedCommand() async throws {
        let limits = SandboxLimits(timeoutSeconds: 60, cpuSeconds: 7, fileSizeBytes: 3 << 20)
        let (outcome, workspace) = try await run("cat /proc/self/limits", limits: limits)
        defer { workspace.remove() }
        #expect(outcome.termination == .exited(0))
        #expect(limitRow("Max cpu time", in: outcome.output) == ["7", "9"], "\(outcome.output)")
        #expect(limitRow("Max file size", in: outcome.output) == ["\(3 << 20)", "\(3 << 20)"])
        #expect(limitRow("Max core file size", in: outcome.output) == ["0", "0"])
    }

    @Test func withoutCgroupsMemoryAndProcessesBecomeRlimits() async throws {
        let limits = SandboxLimits(timeoutSeconds: 60, memoryBytes: 256 << 20, maxProcesses: 64)
        let (outcome, workspace) = try await run("cat /proc/self/limits", limits: limits, enforcement: .rlimitsOnly())
        defer { workspace.remove() }
        #expect(limitRow("Max data size", in: outcome.output) == ["\(256 << 20)", "\(256 << 20)"], "\(outcome.output)")
        let processes = try #require(limitRow("Max processes", in: outcome.output)?.first.flatMap { Int($0) })
        #expect(processes > 64, "RLIMIT_NPROC must count the user's existing processes too")
        #expect(outcome.cgroupDirectories.isEmpty)
    }

    @Test(.enabled(if: host.cgroups.placements[.memory] != nil, "needs a memory cgroup"))
    func withACgroupMemoryIsNotAnRlimit() async throws {
        let limits = SandboxLimits(timeoutSeconds: 60, memoryBytes: 256 << 20)
        let (outcome, workspace) = try await run("cat /proc/self/limits", limits: limits)
        defer { workspace.remove() }
        #expect(limitRow("Max data size", in: outcome.output)?.first == "unlimited", "\(outcome.output)")
        #expect(!outcome.cgroupDirectories.isEmpty)
        for directory in outcome.cgroupDirectories { #expect(!FileManager.default.fileExists(atPath: directory)) }
    }

    @Test(.enabled(if: host.cgroups.placements[.pids] != nil, "needs a pids cgroup"))
    func processLimitRefusesForksAndSaysSo() async throws {
        let limits = SandboxLimits(timeoutSeconds: 60, maxProcesses: 16)
        // dash gives up at the first fork it cannot make; that one refusal is what the cgroup counts.
        let (outcome, workspace) = try await run("for i in $(seq 40); do sleep 1 & done; wait", limits: limits)
        defer { workspace.remove() }
        let refused = outcome.limitEvents.compactMap { event -> Int? in
            if case .processLimit(16, let count) = event { return count }
            return nil
        }
        #expect(refused.first.map { $0 > 0 } == true, "\(outcome.limitEvents) \(outcome.output)")
        #expect(outcome.output.lowercased().contains("fork"), "\(outcome.output)")
        for directory in outcome.cgroupDirectories { #expect(!FileManager.default.fileExists(atPath: directory)) }
    }

    @Test func fileSizeLimitStopsTheWriter() async throws {
        let limits = SandboxLimits(timeoutSeconds: 60, fileSizeBytes: 1 << 20)
        let (outcome, workspace) = try await run("head -c 4194304 /dev/zero > big.bin", limits: limits)
        defer { workspace.remove() }
        #expect(outcome.termination == .exited(128 + SIGXFSZ), "\(outcome.termination) \(outcome.output)")
        #expect(outcome.limitEvents.contains(.fileSizeLimit(bytes: 1 << 20)))
        let size = try FileManager.default.attributesOfItem(atPath: workspace.url.appendingPathComponent("big.bin").path)[.size] as? Int
        #expect(size == 1 << 20)
    }

    @Test func missingPrlimitRefusesToRunRatherThanRunUnlimited() async throws {
        let enforcement = LimitEnforcement(cgroups: .none, prlimitPath: nil, isRoot: getuid() == 0)
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let error = await #expect(throws: ForgeError.self) {
            try await BubblewrapRunner(enforcement: enforcement).run(SandboxCommand(arguments: ["true"], workspace: workspace.url))
        }
        #expect(error?.code == .sandboxUnavailable)
        #expect(error?.message.contains("prlimit is not installed") == true)
        #expect(error?.hint?.contains("util-linux") == true)
    }

    @Test func descriptionNamesTheMechanismPerLimit() {
        let cgroups = CgroupSupport(placements: [.memory: .init(version: .v1, parent: "/sys/fs/cgroup/memory")],
                                    problems: [.pids: "cannot create a cgroup under /sys/fs/cgroup/pids (v1): Permission denied",
                                               .cpu: "no cpu"])
        let root = LimitEnforcement(cgroups: cgroups, prlimitPath: "/usr/bin/prlimit", isRoot: true)
        let lines = Dictionary(root.describe(SandboxLimits(cpus: 1)).map { ($0.limit, $0.enforcement) }) { a, _ in a }
        #expect(lines["memory"]?.contains("cgroup v1 memory.limit_in_bytes under /sys/fs/cgroup/memory") == true)
        #expect(lines["processes"]?.contains("NOT enforced: the kernel ignores RLIMIT_NPROC for root") == true)
        #expect(lines["processes"]?.contains("Permission denied") == true)
        #expect(lines["cpu time"]?.contains("RLIMIT_CPU") == true)
        #expect(lines["cpu share"]?.contains("NOT enforced") == true)
        #expect(lines["file size"]?.contains("RLIMIT_FSIZE") == true)
        #expect(root.summary == "cgroup v1 (memory) + rlimits")
        #expect(LimitEnforcement(cgroups: .none, prlimitPath: nil, isRoot: false).summary == "no rlimits (prlimit missing) only")
    }

    @Test func hostDetectionAccountsForEveryController() {
        for controller in CgroupSupport.Controller.allCases {
            let placed = Self.host.cgroups.placements[controller] != nil
            let explained = Self.host.cgroups.problems[controller] != nil
            #expect(placed != explained, "\(controller)")
        }
    }

    @Test(.enabled(if: host.cgroups.placements[.pids] != nil, "needs a pids cgroup"))
    func staleEmptyCgroupsAreSweptButBusyOnesKept() async throws {
        let parent = try #require(Self.host.cgroups.placements[.pids]).parent
        let prefix = "forge-sweep-test-\(UUID().uuidString.prefix(8))-"
        let empty = parent + "/" + prefix + "empty"
        let busy = parent + "/" + prefix + "busy"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: busy, withIntermediateDirectories: false)
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/bin/sh")
        sleeper.arguments = ["-c", "echo $$ > \(busy)/cgroup.procs && exec sleep 30"]
        try sleeper.run()
        defer {
            kill(sleeper.processIdentifier, SIGKILL)
            sleeper.waitUntilExit()
            rmdir(busy)
            rmdir(empty)
        }
        // Wait (bounded) until the sleeper has joined its cgroup.
        for _ in 0 ..< 200 where ((try? String(contentsOfFile: busy + "/cgroup.procs", encoding: .utf8)) ?? "").isEmpty {
            try await Task.sleep(for: .milliseconds(10))
        }
        // Any age: kernfs may give a directory a fresh timestamp when its inode is looked up again
        // (under memory pressure), so "older than zero" can miss a cgroup made a moment ago.
        RunCgroup.sweepStale(under: [parent], prefix: prefix, age: .seconds(-60))
        #expect(!FileManager.default.fileExists(atPath: empty))
        #expect(FileManager.default.fileExists(atPath: busy))
    }

    @Test func cgroupMountsAreReadFromMountinfo() {
        let mountInfo = """
        30 23 0:26 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
        35 30 0:31 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,memory
        36 30 0:32 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:16 - cgroup cgroup rw,cpu,cpuacct
        37 30 0:33 /docker/abc /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
        38 30 0:34 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """
        let membership = "4:memory:/user.slice\n6:cpu,cpuacct:/\n8:pids:/docker/abc/inner\n0::/user.slice/session-1.scope\n"
        let mounts = CgroupMounts(mountInfo: mountInfo, membership: membership)
        #expect(mounts.mounts.count == 4)
        let pids = try? #require(mounts.mounts.first { $0.controllers.contains("pids") })
        #expect(pids.map { CgroupMounts.join($0, "/docker/abc/inner") } == "/sys/fs/cgroup/pids/inner")
        let cpu = try? #require(mounts.mounts.first { $0.controllers.contains("cpu") })
        #expect(cpu.map { CgroupMounts.join($0, "/") } == "/sys/fs/cgroup/cpu,cpuacct")
        #expect(mounts.membership["cpu,cpuacct"] == "/")
        #expect(mounts.membership[""] == "/user.slice/session-1.scope")
        #expect(CgroupMounts.unescape("/mnt/with\\040space") == "/mnt/with space")
    }
}
