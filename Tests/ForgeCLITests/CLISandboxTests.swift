import Foundation
@testable import ForgeCLI
import ForgeSandbox
import Testing

/// `forge sandbox run`, `--sandbox`, and `forge doctor`'s sandbox report, through the built binary.
@Suite struct CLISandboxTests {
    static let dockerWorks = ContainerEngine(.docker).probe(image: "forge-sandbox-python:3.11").works

    /// A fresh directory, removed by the caller.
    func scratch(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("forge-cli-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func sandboxRunRunsTheCommandWithTheProfilesToolchain() async throws {
        let workspace = try scratch("run")
        defer { try? FileManager.default.removeItem(at: workspace) }
        let run = try await ForgeBinary.run(["sandbox", "run", "--profile", "python", "--workspace", workspace.path, "--",
                                            "{interpreter}", "-c", "import os, pytest; print(os.getcwd())"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "/workspace\n")
        #expect(run.stderr.contains("forge: bubblewrap, python: exit status 0"))
    }

    @Test func sandboxRunExitsWithTheCommandsStatus() async throws {
        let workspace = try scratch("status")
        defer { try? FileManager.default.removeItem(at: workspace) }
        let failing = try await ForgeBinary.run(["sandbox", "run", "--workspace", workspace.path, "--", "sh", "-c", "exit 7"])
        #expect(failing.status == 7)
        let slow = try await ForgeBinary.run(["sandbox", "run", "--workspace", workspace.path, "--timeout", "1", "--", "sleep", "100"])
        #expect(slow.status == 124)
        #expect(slow.stderr.contains("the sandbox's wall-clock limit (1s) ran out"))
    }

    @Test func sandboxRunWithoutACommandRunsTheProfilesTests() async throws {
        let workspace = try scratch("tests")
        defer { try? FileManager.default.removeItem(at: workspace) }
        let project = ForgeBinary.packageRoot.appendingPathComponent("Fixtures/projects/javascript/failing")
        for name in try FileManager.default.contentsOfDirectory(atPath: project.path) {
            try FileManager.default.copyItem(at: project.appendingPathComponent(name), to: workspace.appendingPathComponent(name))
        }
        let run = try await ForgeBinary.run(["sandbox", "run", "--profile", "javascript", "--workspace", workspace.path])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stdout.contains("failed  mean > rounds"), "\(run.stdout)")
        #expect(run.stderr.contains("2 passed, 1 failed"))
    }

    @Test func sandboxNoneRunsOnlyWhenAskedAndWarns() async throws {
        let workspace = try scratch("none")
        defer { try? FileManager.default.removeItem(at: workspace) }
        let run = try await ForgeBinary.run(["sandbox", "run", "--sandbox", "none", "--workspace", workspace.path, "--", "pwd"])
        #expect(run.status == 0)
        #expect(run.stdout == workspace.standardizedFileURL.path + "\n")
        #expect(run.stderr.contains("forge: warning: --sandbox none runs model-written code on this machine WITHOUT isolation"))
        let isolated = try await ForgeBinary.run(["sandbox", "run", "--workspace", workspace.path, "--", "pwd"])
        #expect(isolated.stdout == "/workspace\n")
        #expect(!isolated.stderr.contains("WITHOUT isolation"))
    }

    @Test func noWorkingBackendExitsFourNamingTheCauseAndTheFix() async throws {
        let workspace = try scratch("nobwrap")
        defer { try? FileManager.default.removeItem(at: workspace) }
        let run = try await ForgeBinary.run(["sandbox", "run", "--workspace", workspace.path, "--", "true"],
                                            environment: ["FORGE_BWRAP": "/nonexistent/forge-test/bwrap"])
        #expect(run.status == 4)
        #expect(run.stderr.contains("bubblewrap is not installed: no executable at /nonexistent/forge-test/bwrap"), "\(run.stderr)")
        #expect(run.stderr.contains("hint: install it (`apt-get install bubblewrap`"))
    }

    @Test(.disabled(if: dockerWorks, "a docker engine works here"))
    func anUnusableDockerIsRefusedBeforeAnyModelCall() async throws {
        let temporary = try TemporaryRepository()
        defer { temporary.remove() }
        let cassette = ForgeBinary.packageRoot.appendingPathComponent("Fixtures/cassettes/textstats-fix.json").path
        let build = try await ForgeBinary.run(["build", "--sandbox", "docker", "--provider", "replay", "--cassette", cassette,
                                               "--db", temporary.root.path + ".sqlite", "A module"], in: temporary.root)
        #expect(build.status == 4, "\(build.stderr)")
        #expect(build.stderr.contains("--sandbox docker cannot run here: "))
        #expect(build.stderr.contains("hint: "))
        #expect(!build.stderr.contains("forge: run "), "no run may start without a sandbox")
    }

    @Test func anUnknownBackendIsAUsageError() async throws {
        let run = try await ForgeBinary.run(["sandbox", "run", "--sandbox", "chroot", "--", "true"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("chroot"))
    }

    @Test func doctorReportsBackendsLimitsAndToolchains() async throws {
        let directory = try scratch("doctor")
        defer { try? FileManager.default.removeItem(at: directory) }
        let doctor = try await ForgeBinary.run(["doctor", "--db", directory.appendingPathComponent("forge.sqlite").path], in: directory)
        #expect(doctor.status == 0, "\(doctor.stdout)\n\(doctor.stderr)")
        let lines = doctor.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("ok   bubblewrap") })
        #expect(lines.contains { $0.contains(" docker ") })
        #expect(lines.contains { $0.contains(" podman ") })
        #expect(lines.contains { $0.hasPrefix("ok   sandbox") && $0.contains("bubblewrap") })
        #expect(lines.contains { $0.hasPrefix("ok   limits") })
        for limit in ["timeout", "output", "memory", "processes", "cpu time", "file size"] {
            #expect(lines.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix(limit) }, "\(limit)")
        }
        for profile in ["go", "javascript", "python", "rust", "swift"] {
            #expect(lines.contains { $0.contains("profile") && $0.contains(" \(profile): toolchain ") }, "\(profile)")
        }
    }
}
