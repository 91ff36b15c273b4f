import ForgeCore
import Foundation
import Testing
@testable import ForgeSandbox

/// The docker/podman backend. Its command line is checked everywhere; running containers needs an
/// engine that really works, which the probe decides by starting one — on hosts without one (no
/// docker daemon; a podman whose runtime fails) those tests are skipped and the probe's reason is
/// checked instead.
@Suite struct ContainerRunnerTests {
    static let docker = ContainerEngine(.docker)
    static let podman = ContainerEngine(.podman)
    static let pythonImage = (try? Repository.pythonProfile().image) ?? "forge-sandbox-python:3.11"
    static let dockerStatus = docker.probe(image: pythonImage)
    static let podmanStatus = podman.probe(image: pythonImage)

    @Test func limitsAndIsolationBecomeEngineFlags() throws {
        let command = SandboxCommand(
            arguments: ["python3", "-m", "pytest"], workspace: URL(fileURLWithPath: "/tmp"),
            environment: ["PYTHONDONTWRITEBYTECODE": "1"],
            limits: SandboxLimits(timeoutSeconds: 60, memoryBytes: 256 << 20, maxProcesses: 64, cpuSeconds: 30,
                                  fileSizeBytes: 1 << 20, cpus: 1.5))
        let args = try ContainerArguments(command: command, image: "img:1", containerName: "forge-x", uid: 1000, gid: 1000).arguments()
        func value(after flag: String) -> [String] { args.indices.filter { args[$0] == flag }.map { args[$0 + 1] } }
        #expect(args.first == "run" && args.contains("--rm"))
        #expect(value(after: "--network") == ["none"])
        #expect(value(after: "--cap-drop") == ["ALL"])
        #expect(args.contains("--read-only"))
        #expect(value(after: "--memory") == ["\(256 << 20)"] && value(after: "--memory-swap") == ["\(256 << 20)"])
        #expect(value(after: "--pids-limit") == ["64"])
        #expect(value(after: "--cpus") == ["1.5"])
        #expect(value(after: "--ulimit") == ["cpu=30:32", "fsize=1048576:1048576", "core=0:0"])
        #expect(value(after: "--user") == ["1000:1000"])
        #expect(value(after: "--volume") == ["/tmp:/workspace:rw"])
        #expect(value(after: "--env").contains("PYTHONDONTWRITEBYTECODE=1"))
        #expect(value(after: "--env").allSatisfy { !$0.hasPrefix("PATH=") }, "the image's PATH stays")
        #expect(Array(args.suffix(3)) == ["python3", "-m", "pytest"])
        #expect(args.contains("img:1"))
    }

    @Test func aMissingEngineSaysSoAndHowToFixIt() {
        let status = ContainerEngine(.docker, executable: "/nonexistent/forge-\(UUID().uuidString)/docker").probe()
        #expect(!status.works)
        #expect(status.detail.contains("does not answer"))
        #expect(status.hint?.contains("--sandbox bubblewrap") == true)
    }

    @Test(.disabled(if: dockerStatus.works, "a docker engine works here"))
    func anUnusableDockerIsRefusedWithItsCause() async throws {
        let error = await #expect(throws: ForgeError.self) {
            _ = try await SandboxBackend.docker.checkedRunner(image: Self.pythonImage)
        }
        #expect(error?.code == .sandboxUnavailable)
        #expect(error?.message.contains("--sandbox docker cannot run here: \(Self.dockerStatus.detail)") == true, "\(error?.message ?? "")")
        #expect(error?.hint?.isEmpty == false)
    }

    @Test(.disabled(if: podmanStatus.works, "a podman engine works here"))
    func anUnusablePodmanIsRefusedWithItsCause() async throws {
        let error = await #expect(throws: ForgeError.self) {
            _ = try await SandboxBackend.podman.checkedRunner(image: Self.pythonImage)
        }
        #expect(error?.code == .sandboxUnavailable)
        #expect(error?.message.contains(Self.podmanStatus.detail) == true)
    }

    @Test(.enabled(if: dockerStatus.works, Comment(rawValue: "docker probe: \(dockerStatus.detail)")))
    func dockerRunsTheSampleProjects() async throws {
        try await runSampleProjects(ContainerRunner(engine: Self.docker))
    }

    @Test(.enabled(if: podmanStatus.works, Comment(rawValue: "podman probe: \(podmanStatus.detail)")))
    func podmanRunsTheSampleProjects() async throws {
        try await runSampleProjects(ContainerRunner(engine: Self.podman))
    }

    /// The python sample projects in a container: same counts as in bubblewrap, no network, limits.
    func runSampleProjects(_ runner: ContainerRunner) async throws {
        let profile = try Repository.pythonProfile()
        for (variant, passed, failed) in [("passing", 3, 0), ("failing", 2, 1)] {
            let workspace = try TestWorkspace("container")
            defer { workspace.remove() }
            try workspace.copyProject("python", variant)
            let report = try await TestVerifier(profile: profile, runner: runner).verify(workspace: workspace.url)
            #expect(report.passed == passed && report.failed == failed, "\(report.summary)\n\(report.output)")
        }
        let workspace = try TestWorkspace("container")
        defer { workspace.remove() }
        let outcome = try await runner.run(SandboxCommand(
            arguments: ["python3", "-c", "import socket; print(sorted(n for _, n in socket.if_nameindex()))"],
            workspace: workspace.url, limits: SandboxLimits(timeoutSeconds: 60), image: Self.pythonImage))
        #expect(outcome.output.contains("['lo']"), "\(outcome.output)")
        let timeout = try await runner.run(SandboxCommand(arguments: ["sleep", "1000"], workspace: workspace.url,
                                                          limits: SandboxLimits(timeoutSeconds: 2), image: Self.pythonImage))
        #expect(timeout.termination == .timedOut(seconds: 2))
    }
}
