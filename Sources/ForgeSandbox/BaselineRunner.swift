import ForgeCore
import Foundation
import Logging

/// Runs a command as a plain child process in its workspace: no isolation, no launcher, no limits
/// beyond the timeout and the output cap.
///
/// Only a baseline for measuring what isolation costs (`forge sandbox bench`); never a choice for
/// running model-written code, which is why `--sandbox` does not offer it.
public struct BaselineRunner: SandboxRunner {
    public let name = "plain"
    private let logger: Logger

    public init(logger: Logger = Logger(label: "forge.sandbox")) {
        self.logger = logger
    }

    public func run(_ command: SandboxCommand) async throws -> SandboxOutcome {
        guard let program = command.arguments.first else {
            throw ForgeError(.config, "sandbox command is empty", hint: "give a command")
        }
        var environment = ["PATH": BubblewrapArguments.basePath, "LANG": "C.UTF-8", "HOME": NSTemporaryDirectory()]
        for (key, value) in command.environment where !key.isEmpty && !key.contains("=") { environment[key] = value }
        let path = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        let executable = program.contains("/") ? program
            : path.map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) } ?? program
        let process = SupervisedProcess(
            executable: executable, arguments: Array(command.arguments.dropFirst()), environment: environment,
            workingDirectory: command.workspace.path, timeoutSeconds: command.limits.timeoutSeconds,
            outputLimit: command.limits.outputBytes)
        let result: SupervisedProcess.Result
        do {
            result = try await process.run(logger: logger)
        } catch {
            throw ForgeError(.sandboxUnavailable, "could not start \(program): \(error)", hint: "check the command")
        }
        return SandboxOutcome(result, limits: command.limits, events: nil, cgroup: nil)
    }
}
