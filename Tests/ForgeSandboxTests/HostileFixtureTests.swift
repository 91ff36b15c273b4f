import ForgeCore
import Foundation
import Testing
@testable import ForgeSandbox

/// Runs the attacks in `Fixtures/hostile/` through the real verifier and bubblewrap. Each fixture
/// asserts its own attack fails, so a contained attack is a passing test; the host side is checked
/// as well. Control runs through ``HostRunner`` (no isolation) prove the fixtures do catch leaks.
@Suite struct HostileFixtureTests {
    let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()

    /// A workspace holding `fixture` and its shared helper, plus the host facts as JSON.
    func workspace(_ fixture: String, config: [String: Any]) throws -> TestWorkspace {
        let workspace = try TestWorkspace("hostile")
        try workspace.copyFixtures([fixture, "hostile_support.py"])
        let json = try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys])
        try json.write(to: workspace.url.appendingPathComponent("hostile_config.json"))
        return workspace
    }

    func verify(_ workspace: TestWorkspace, timeout: Double? = nil, runner: any SandboxRunner = BubblewrapRunner())
        async throws -> TestReport {
        try await TestVerifier(profile: Repository.pythonProfile(timeoutSeconds: timeout), runner: runner)
            .verify(workspace: workspace.url)
    }

    /// `~/.ssh` with a canary key in it, created for the test when missing and removed after.
    struct SSHCanary {
        let directory: String
        let file: String
        let createdDirectory: Bool

        init(home: String) throws {
            directory = home + "/.ssh"
            createdDirectory = !FileManager.default.fileExists(atPath: directory)
            if createdDirectory {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false,
                                                        attributes: [.posixPermissions: 0o700])
            }
            file = "forge-canary-key-\(UUID().uuidString)"
            try Data("-----BEGIN FORGE CANARY KEY-----\n".utf8).write(to: URL(fileURLWithPath: directory + "/" + file))
        }

        func remove() {
            try? FileManager.default.removeItem(atPath: directory + "/" + file)
            if createdDirectory { try? FileManager.default.removeItem(atPath: directory) }
        }
    }

    @Test func networkIsUnreachable() async throws {
        let listener = try LoopbackListener()
        let workspace = try workspace("test_network.py", config: ["host_port": Int(listener.port)])
        defer { workspace.remove() }
        let report = try await verify(workspace)
        #expect(report.allPassed && report.passed == 4, "\(report.summary)\n\(report.output)")
        #expect(report.cases.contains { $0.name == "test_network::test_dns_lookup_fails" && $0.outcome == .passed })
        #expect(!listener.receivedConnection(), "the host's loopback listener was reached from the sandbox")
    }

    @Test func networkFixtureCatchesAnOpenNetwork() async throws {
        let listener = try LoopbackListener()
        let workspace = try workspace("test_network.py", config: ["host_port": Int(listener.port)])
        defer { workspace.remove() }
        let report = try await verify(workspace, runner: HostRunner())
        let failed = Set(report.failures.map(\.name))
        #expect(failed.contains("test_network::test_host_loopback_listener_unreachable"), "\(report.summary)")
        #expect(listener.receivedConnection())
    }

    @Test func hostFilesCannotBeWritten() async throws {
        let canary = "\(home)/forge-canary-\(UUID().uuidString)"
        let workspace = try workspace("test_write_host.py", config: [
            "canary_path": canary, "repo_path": Repository.root.path])
        defer { workspace.remove(); try? FileManager.default.removeItem(atPath: canary) }
        let report = try await verify(workspace)
        #expect(report.allPassed && report.passed == 4, "\(report.summary)\n\(report.output)")
        #expect(!FileManager.default.fileExists(atPath: canary))
        #expect(!FileManager.default.fileExists(atPath: Repository.root.appendingPathComponent("forge-canary").path))
        #expect(!FileManager.default.fileExists(atPath: "/usr/forge-canary"))
        #expect(workspace.exists("written-in-workspace.txt"))
    }

    @Test func hostFilesCannotBeRead() async throws {
        let secret = "\(home)/.forge-sandbox-secret-\(UUID().uuidString)"
        try Data("forge secret \(UUID().uuidString)".utf8).write(to: URL(fileURLWithPath: secret))
        defer { try? FileManager.default.removeItem(atPath: secret) }
        let ssh = try SSHCanary(home: home)
        defer { ssh.remove() }
        let config: [String: Any] = ["secret_path": secret, "repo_path": Repository.root.path, "host_home": home,
                                     "ssh_dir": ssh.directory, "ssh_canary": ssh.file]
        let workspace = try workspace("test_read_host.py", config: config)
        defer { workspace.remove() }
        let report = try await verify(workspace)
        #expect(report.allPassed && report.passed == 5, "\(report.summary)\n\(report.output)")

        let control = try self.workspace("test_read_host.py", config: config)
        defer { control.remove() }
        let exposed = try await verify(control, runner: HostRunner())
        #expect(exposed.failures.map(\.name).contains("test_read_host::test_cannot_read_secret_in_home"),
                "the fixture did not notice a readable secret: \(exposed.summary)")
        #expect(exposed.failures.map(\.name).contains("test_read_host::test_cannot_read_ssh_keys"),
                "the fixture did not notice readable ssh keys: \(exposed.summary)")
    }

    @Test func callersEnvironmentDoesNotLeak() async throws {
        let name = "FORGE_CANARY_SECRET"
        // Set once for the whole test process; the value only has to be unmistakable.
        let value = ProcessInfo.processInfo.environment[name] ?? "sk-forge-canary-\(UUID().uuidString)"
        setenv(name, value, 0)
        let canary = try #require(ProcessInfo.processInfo.environment[name])
        let config: [String: Any] = ["canary_name": name, "canary_value": canary]
        let workspace = try workspace("test_environment.py", config: config)
        defer { workspace.remove() }
        let report = try await verify(workspace)
        #expect(report.allPassed && report.passed == 3, "\(report.summary)\n\(report.output)")
        #expect(!report.output.contains(canary))

        let control = try self.workspace("test_environment.py", config: config)
        defer { control.remove() }
        let exposed = try await verify(control, runner: HostRunner())
        #expect(exposed.failures.map(\.name).contains("test_environment::test_canary_variable_absent"),
                "the fixture did not notice the leaked variable: \(exposed.summary)")
    }

    @Test func hostProcessesAreInvisible() async throws {
        let config: [String: Any] = ["host_marker": ProcessInfo.processInfo.arguments[0], "host_pid": Int(getpid())]
        let workspace = try workspace("test_host_processes.py", config: config)
        defer { workspace.remove() }
        let report = try await verify(workspace)
        #expect(report.allPassed && report.passed == 2, "\(report.summary)\n\(report.output)")

        let control = try self.workspace("test_host_processes.py", config: config)
        defer { control.remove() }
        let exposed = try await verify(control, runner: HostRunner())
        #expect(exposed.failures.map(\.name).contains("test_host_processes::test_the_host_test_process_is_not_visible"),
                "the fixture did not notice the host's processes: \(exposed.summary)")
    }

    @Test func aDaemonLeftBehindDiesWithTheSandbox() async throws {
        let marker = "forge-daemon-\(UUID().uuidString)"
        let workspace = try TestWorkspace("hostile")
        defer { workspace.remove() }
        let late = workspace.url.appendingPathComponent("late.txt").path
        try workspace.copyFixtures(["test_outlive_parent.py", "hostile_support.py"])
        let json = try JSONSerialization.data(withJSONObject: ["marker": marker, "late_file": "/workspace/late.txt"])
        try json.write(to: workspace.url.appendingPathComponent("hostile_config.json"))
        let runner = RecordingRunner(BubblewrapRunner())
        let report = try await verify(workspace, runner: runner)
        #expect(report.allPassed && report.passed == 1, "\(report.summary)\n\(report.output)")
        #expect(await HostAftermath.problems(marker: marker, outcomes: runner.outcomes) == [])
        // A live daemon appends every 0.1 s: over a second, the file would grow.
        let size = { (try? FileManager.default.attributesOfItem(atPath: late)[.size] as? Int) ?? 0 }
        let before = size()
        try await Task.sleep(for: .seconds(1))
        #expect(size() == before, "a process of the finished sandbox kept writing into the workspace")
    }

    @Test func runawayTestIsKilledAtTheTimeout() async throws {
        let marker = "forge-runaway-\(UUID().uuidString)"
        let workspace = try workspace("test_runaway.py", config: ["marker": marker])
        defer { workspace.remove() }
        let report = try await verify(workspace, timeout: 4)
        #expect(report.termination == .timedOut(seconds: 4))
        #expect(!report.allPassed)
        #expect(report.problem?.contains("timed out after 4s") == true, "\(report.problem ?? "")")
        // Loose sanity bound: the run ends with the limit, not with the test's endless sleep.
        #expect(report.durationSeconds >= 4 && report.durationSeconds < 60)
        #expect(ProcessScan.pids(withMarker: marker).isEmpty, "a process of the killed sandbox survived")
    }
}
