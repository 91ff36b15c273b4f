import ForgeCore
import Foundation
import Logging

/// Runs commands in a bubblewrap sandbox: no network, no view of the user's files, a clean
/// environment, the workspace as the only writable host directory, and a timeout that kills the
/// whole process tree.
///
/// bubblewrap needs no daemon and starts in milliseconds; it is what Flatpak and Codex use. The
/// sandbox's pid namespace dies with its init, so nothing a test spawns outlives the run.
public struct BubblewrapRunner: SandboxRunner {
    /// Where the workspace appears inside the sandbox; also the working directory.
    public static let workspaceMountPoint = "/workspace"

    public let name = "bubblewrap"
    public let bwrapPath: String
    public var guards: SandboxGuards
    /// How memory, process, CPU and file-size limits are enforced here (cgroups, rlimits).
    public var enforcement: LimitEnforcement
    /// The slots a run waits for before it starts; every runner shares one set unless a test
    /// gives it its own.
    public var slots: SandboxSlots = .shared
    private let logger: Logger

    /// - Parameters:
    ///   - bwrapPath: The bwrap executable; nil uses `$FORGE_BWRAP`, else `bwrap` on `PATH`, else `/usr/bin/bwrap`.
    ///   - enforcement: How limits are enforced; nil probes this host (``LimitEnforcement/detect()``).
    ///   - logger: Receives one line per sandbox run, with the command in metadata.
    public init(bwrapPath: String? = nil, enforcement: LimitEnforcement? = nil,
                logger: Logger = Logger(label: "forge.sandbox")) {
        self.bwrapPath = bwrapPath ?? Self.locateBwrap()
        self.guards = .standard()
        self.enforcement = enforcement ?? .detect()
        self.logger = logger
    }

    /// Runs `command` in a fresh sandbox and returns how it ended.
    ///
    /// When the calling task is cancelled the whole sandbox is killed at once and `run` throws
    /// `CancellationError` once nothing of it is left.
    ///
    /// - Throws: `ForgeError(.sandboxUnavailable)` when bwrap is missing or cannot set the sandbox
    ///   up; `ForgeError(.config)` when a read-only path or the workspace would expose a guarded
    ///   host path; `CancellationError` when cancelled.
    public func run(_ command: SandboxCommand) async throws -> SandboxOutcome {
        try Self.requireExecutable(bwrapPath)
        let plan = BubblewrapArguments(command: command, workspaceMountPoint: Self.workspaceMountPoint,
                                       guards: guards)
        let bwrapArguments = try plan.arguments()
        let launch = try LimitedLaunch.prepare([bwrapPath] + bwrapArguments, limits: command.limits,
                                               enforcement: enforcement, logger: logger)
        let process = SupervisedProcess(
            executable: launch.executable, arguments: launch.arguments, environment: [:], workingDirectory: "/",
            timeoutSeconds: command.limits.timeoutSeconds, outputLimit: command.limits.outputBytes,
            expectedPrefix: BubblewrapArguments.startMarker, followsPidNamespace: true, cgroup: launch.cgroup)
        logger.debug("sandbox run", metadata: ["command": "\(command.arguments)",
                                              "workspace": "\(command.workspace.path)",
                                              "cgroup": "\(launch.cgroup?.name ?? "none")"])
        let result: SupervisedProcess.Result
        do {
            result = try await process.run(logger: logger, slots: slots)
        } catch {
            _ = await launch.finish(logger: logger)
            // Interrupted while it waited for a slot: nothing started, and it is no launch failure.
            if error is CancellationError { throw error }
            throw ForgeError(.sandboxUnavailable, "bubblewrap could not be started (\(bwrapPath)): \(error)",
                             hint: "check that \(bwrapPath) is executable")
        }
        let events = await launch.finish(logger: logger)
        // Interrupted: the sandbox is already gone; its truncated run is not a result.
        try Task.checkCancellation()
        if !result.timedOut && !result.output.prefixSeen {
            let detail = result.output.text.trimmingCharacters(in: .whitespacesAndNewlines)
            throw ForgeError(.sandboxUnavailable,
                             "bubblewrap could not set up the sandbox: \(detail.isEmpty ? "no message" : detail)",
                             hint: Self.hint(for: detail))
        }
        let outcome = SandboxOutcome(result, limits: command.limits, events: events, cgroup: launch.cgroup)
        logger.info("sandbox finished", metadata: ["termination": "\(outcome.termination)",
                                                   "seconds": "\(result.durationSeconds)",
                                                   "limits": "\(outcome.limitEvents.map(\.description))"])
        return outcome
    }

    /// Checks bwrap exists and can create the namespaces, by running `true` in a sandbox like the
    /// ones tests get.
    ///
    /// - Throws: `ForgeError(.sandboxUnavailable)` naming the cause (bwrap missing, namespaces
    ///   refused…) with a hint that fixes it.
    public static func checkAvailable(bwrapPath: String? = nil) async throws {
        let runner = BubblewrapRunner(bwrapPath: bwrapPath, logger: Logger(label: "forge.sandbox.check"))
        let workspace = FileManager.default.temporaryDirectory
            .appendingPathComponent("forge-bwrap-check-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: workspace) }
        let outcome = try await runner.run(SandboxCommand(
            arguments: ["true"], workspace: workspace, limits: SandboxLimits(timeoutSeconds: 30, outputBytes: 64 << 10)))
        guard outcome.termination == .exited(0) else {
            throw ForgeError(.sandboxUnavailable,
                             "bubblewrap started but `true` did not succeed in it (\(outcome.termination)): \(outcome.output)",
                             hint: "run `\(runner.bwrapPath) --unshare-all --ro-bind / / true` to see why")
        }
    }

    static func requireExecutable(_ path: String) throws {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw ForgeError(.sandboxUnavailable, "bubblewrap is not installed: no executable at \(path)",
                             hint: "install it (`apt-get install bubblewrap`, `dnf install bubblewrap`) or pass its path")
        }
    }

    /// A fix for bwrap's most common setup failures.
    static func hint(for message: String) -> String {
        let lower = message.lowercased()
        if lower.contains("namespace") || lower.contains("operation not permitted") || lower.contains("permission denied") {
            return "user namespaces look disabled: enable them (`sysctl -w kernel.unprivileged_userns_clone=1`, "
                + "or `kernel.apparmor_restrict_unprivileged_userns=0` on Ubuntu), or run where containers may nest namespaces"
        }
        if lower.contains("can't find source path") || lower.contains("no such file") {
            return "a path the sandbox mounts is missing; check the profile's read-only paths"
        }
        return "run `bwrap --unshare-all --ro-bind / / true` to see what fails"
    }

    /// `$FORGE_BWRAP` when set, else `bwrap` on `PATH`, else `/usr/bin/bwrap`.
    static func locateBwrap(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let override = environment["FORGE_BWRAP"], !override.isEmpty { return override }
        let directories = (environment["PATH"] ?? "").split(separator: ":").map(String.init).filter { $0.hasPrefix("/") }
        for directory in directories {
            let candidate = directory + "/bwrap"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return "/usr/bin/bwrap"
    }
}
