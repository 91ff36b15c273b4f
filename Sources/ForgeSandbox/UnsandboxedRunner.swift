import ForgeCore
import Foundation
import Logging

/// Runs commands on the host with no isolation: `--sandbox none`, only ever when the user asks for it.
///
/// Model-written code run this way can read the user's files, reach the network and write anywhere
/// the user can; the CLI warns on stderr each time. What still holds is everything that needs no
/// namespace: a clean environment (no API keys), the workspace as working directory, a private
/// `HOME`/`TMPDIR` removed afterwards, the wall-clock timeout, the output cap, and the memory,
/// process, CPU and file-size limits (a per-run cgroup also ends every process the run left behind).
public struct UnsandboxedRunner: SandboxRunner {
    public let name = "none"
    public var enforcement: LimitEnforcement
    /// The slots a run waits for before it starts (shared unless a test gives its own).
    public var slots: SandboxSlots = .shared
    private let logger: Logger

    public init(enforcement: LimitEnforcement? = nil, logger: Logger = Logger(label: "forge.sandbox")) {
        self.enforcement = enforcement ?? .detect()
        self.logger = logger
    }

    /// Runs `command` in its workspace on the host.
    ///
    /// - Throws: `ForgeError(.sandboxUnavailable)` when the command cannot start; `CancellationError`
    ///   when cancelled (after everything it started is gone).
    public func run(_ command: SandboxCommand) async throws -> SandboxOutcome {
        guard !command.arguments.isEmpty else {
            throw ForgeError(.config, "sandbox command is empty", hint: "give the profile a test command")
        }
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("forge-none-\(UUID().uuidString)", isDirectory: true)
        let home = scratch.appendingPathComponent("home", isDirectory: true)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }

        var environment = ["PATH": BubblewrapArguments.basePath, "HOME": home.path, "LANG": "C.UTF-8",
                           "TMPDIR": scratch.path]
        for (key, value) in command.environment where !key.isEmpty && !key.contains("=") { environment[key] = value }
        // The same proof-of-start as the sandbox: output before the marker is a launch failure.
        let marker = String(decoding: BubblewrapArguments.startMarker, as: UTF8.self)
        let wrapped = ["/bin/sh", "-c", "printf '%s' \"$0\" && exec \"$@\"", marker] + command.arguments
        let launch = try LimitedLaunch.prepare(wrapped, limits: command.limits, enforcement: enforcement, logger: logger)
        let process = SupervisedProcess(
            executable: launch.executable, arguments: launch.arguments, environment: environment,
            workingDirectory: command.workspace.path, timeoutSeconds: command.limits.timeoutSeconds,
            outputLimit: command.limits.outputBytes, expectedPrefix: BubblewrapArguments.startMarker,
            cgroup: launch.cgroup)
        logger.info("running without a sandbox", metadata: ["command": "\(command.arguments)"])
        let result: SupervisedProcess.Result
        do {
            result = try await process.run(logger: logger, slots: slots)
        } catch {
            _ = await launch.finish(logger: logger)
            if error is CancellationError { throw error }
            throw ForgeError(.sandboxUnavailable, "could not start \(command.arguments[0]): \(error)",
                             hint: "check the profile's command")
        }
        let events = await launch.finish(logger: logger)
        try Task.checkCancellation()
        if !result.timedOut && !result.output.prefixSeen {
            throw ForgeError(.sandboxUnavailable, "the command could not be launched: \(result.output.text)",
                             hint: "check the resource limits and that /bin/sh works")
        }
        return SandboxOutcome(result, limits: command.limits, events: events, cgroup: launch.cgroup)
    }
}
