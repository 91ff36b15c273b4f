import ArgumentParser
import ForgeCore
import ForgeSandbox
import Foundation

/// `forge sandbox run --profile NAME [-- CMD…]`: one command (or the profile's build and tests) in
/// the sandbox a profile gets, over a directory of the user's choosing.
struct SandboxRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a command in the sandbox a profile gets (toolchain, environment, limits).",
        discussion: """
            The workspace (default: the current directory) is mounted read-write at /workspace and is \
            the working directory; nothing else of the host is writable or, beyond the toolchain, \
            visible. {interpreter} in the command becomes the profile's probed interpreter. The \
            command's output goes to stdout when it ends, then a summary line to stderr; forge exits \
            with the command's status (124 when it timed out, 128+N when killed by signal N).

            Without a command, runs the profile's build and test commands and prints the parsed report.

            Examples:
              forge sandbox run --profile python -- {interpreter} -c 'import pytest; print(pytest.__version__)'
              forge sandbox run --profile rust --workspace ./mycrate
              forge sandbox run --profile go --sandbox none -- go env
            """
    )

    @Option(help: ArgumentHelp("The profile from Sandboxes/ (default: python).", valueName: "name"))
    var profile = "python"

    @Option(help: ArgumentHelp("The directory mounted as the workspace (default: the current directory).", valueName: "path"))
    var workspace: String?

    @Option(name: .customLong("timeout"), help: ArgumentHelp("Wall-clock seconds (default: the profile's limit).", valueName: "seconds"))
    var timeoutSeconds: Double?

    @OptionGroup var sandbox: SandboxOptions
    @OptionGroup var global: GlobalOptions

    @Argument(parsing: .postTerminator, help: "The command and its arguments, after --.")
    var command: [String] = []

    func validate() throws {
        if let timeoutSeconds, !(timeoutSeconds > 0) { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        guard let sandboxes = global.paths.sandboxes else {
            throw ForgeError(.config, "cannot find forge's Sandboxes/ folder next to the forge binary",
                             hint: "set FORGE_RESOURCES to the folder holding it (the forge source checkout)")
        }
        var profile = try SandboxProfile.load(named: self.profile, in: sandboxes)
        if let timeoutSeconds { profile.limits.timeoutSeconds = timeoutSeconds }
        let directory = URL(fileURLWithPath: workspace ?? FileManager.default.currentDirectoryPath).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ForgeError(.usage, "the workspace \(directory.path) is not a directory", hint: "pass --workspace DIR")
        }
        let logger = global.logger("forge.sandbox")
        let runner = try await sandbox.runner(image: profile.image, logger: logger)
        let verifier = TestVerifier(profile: profile, runner: runner, logger: logger)
        if command.isEmpty {
            let report = try await verifier.verify(workspace: directory)
            print(report.output, terminator: report.output.hasSuffix("\n") || report.output.isEmpty ? "" : "\n")
            for testCase in report.cases {
                print("\(testCase.outcome.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) \(testCase.name)"
                      + (testCase.message.map { " — \($0)" } ?? ""))
            }
            FileHandle.standardError.write(Data("forge: \(runner.name), \(profile.name): \(report.summary)\n".utf8))
            if !report.allPassed { throw ExitCode(ExitStatus.testsFailing.rawValue) }
            return
        }
        let outcome = try await runner.run(try await verifier.sandboxCommand(command, workspace: directory))
        FileHandle.standardOutput.write(Data(outcome.output.utf8))
        var summary = "forge: \(runner.name), \(profile.name): \(Self.describe(outcome.termination)) ("
            + String(format: "%.2fs", outcome.durationSeconds) + ")"
        for event in outcome.limitEvents { summary += "\n  \(event)" }
        FileHandle.standardError.write(Data((summary + "\n").utf8))
        switch outcome.termination {
        case .exited(0): return
        case .exited(let status): throw ExitCode(status)
        case .signalled(let signal): throw ExitCode(128 + signal)
        case .timedOut: throw ExitCode(124)
        }
    }

    static func describe(_ termination: TestReport.Termination) -> String {
        switch termination {
        case .exited(let status): "exit status \(status)"
        case .signalled(let signal): "killed by signal \(signal)"
        case .timedOut(let seconds): "timed out after \(Int(seconds))s"
        }
    }
}
