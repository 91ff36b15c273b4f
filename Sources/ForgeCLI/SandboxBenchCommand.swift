import ArgumentParser
import ForgeCore
import ForgeSandbox
import Foundation

/// `forge sandbox bench`: what isolation costs here, as start-to-exit times of one command under
/// each backend, measured in one run (`Benchmarks/sandbox-startup.sh` drives it).
struct SandboxBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time a command's start-to-exit under each sandbox backend (median, p95).",
        discussion: """
            Each backend runs the command --runs times, after one untimed warm-up run, in the same \
            workspace, with the profile's toolchain, environment and limits; the time is measured \
            around the whole run as forge makes it (cgroup setup and removal included). Backends: \
            plain (a bare child process: the baseline), none (limits and a clean environment, no \
            isolation), bubblewrap-rlimits (bubblewrap without cgroups), bubblewrap, and docker and \
            podman when a working engine has the profile's image.
            """
    )

    @Option(help: ArgumentHelp("The profile from Sandboxes/ (default: python).", valueName: "name"))
    var profile = "python"

    @Option(help: ArgumentHelp("The directory mounted as the workspace (default: the current directory).", valueName: "path"))
    var workspace: String?

    @Option(help: "Timed runs per backend.")
    var runs = 20

    @OptionGroup var global: GlobalOptions

    @Argument(parsing: .postTerminator, help: "The command and its arguments, after --.")
    var command: [String] = []

    func validate() throws {
        if runs < 1 { throw ValidationError("--runs must be at least 1") }
        if command.isEmpty { throw ValidationError("give the command to time after --, e.g. -- true") }
    }

    func run() async throws {
        guard let sandboxes = global.paths.sandboxes else {
            throw ForgeError(.config, "cannot find forge's Sandboxes/ folder", hint: "set FORGE_RESOURCES")
        }
        let profile = try SandboxProfile.load(named: self.profile, in: sandboxes)
        let directory = URL(fileURLWithPath: workspace ?? FileManager.default.currentDirectoryPath).standardizedFileURL
        let logger = global.logger("forge.sandbox")
        var backends: [(String, any SandboxRunner)] = [
            ("plain", BaselineRunner(logger: logger)),
            ("none", UnsandboxedRunner(logger: logger)),
            ("bubblewrap-rlimits", BubblewrapRunner(enforcement: .rlimitsOnly(), logger: logger)),
            ("bubblewrap", BubblewrapRunner(logger: logger)),
        ]
        for kind in ContainerEngine.Kind.allCases {
            let engine = ContainerEngine(kind)
            let status = await engine.probeInBackground(image: profile.image)
            if status.works {
                backends.append((kind.rawValue, ContainerRunner(engine: engine, logger: logger)))
            } else {
                print("\(kind.rawValue.padding(toLength: 19, withPad: " ", startingAt: 0)) skipped: \(status.detail)")
            }
        }
        print("\("backend".padding(toLength: 19, withPad: " ", startingAt: 0)) \(column("median")) \(column("p95")) \(column("min")) \(column("max"))  runs  command: \(command.joined(separator: " "))")
        for (name, runner) in backends {
            let sandboxCommand = try await TestVerifier(profile: profile, runner: runner, logger: logger)
                .sandboxCommand(command, workspace: directory)
            var times: [Double] = []
            for index in 0 ... runs {
                let start = ContinuousClock.now
                let outcome = try await runner.run(sandboxCommand)
                let elapsed = ContinuousClock.now - start
                guard outcome.termination == .exited(0) else {
                    throw ForgeError(.usage, "\(name): the command ended with \(outcome.termination): \(outcome.output.suffix(500))",
                                     hint: "time a command that succeeds")
                }
                if index > 0 { times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000) }
            }
            times.sort()
            print("\(name.padding(toLength: 19, withPad: " ", startingAt: 0)) \(ms(Self.percentile(times, 50))) \(ms(Self.percentile(times, 95))) \(ms(times.first ?? 0)) \(ms(times.last ?? 0))  \(String(times.count).padding(toLength: 4, withPad: " ", startingAt: 0))")
        }
    }

    /// The nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    private func column(_ title: String) -> String { title.padding(toLength: 10, withPad: " ", startingAt: 0) }
    private func ms(_ value: Double) -> String { String(format: "%7.1f ms", value).padding(toLength: 10, withPad: " ", startingAt: 0) }
}
