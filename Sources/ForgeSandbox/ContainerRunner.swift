import ForgeCore
import Foundation
import Logging

/// Runs commands in a docker or podman container made from the profile's image.
///
/// For hosts where bubblewrap cannot run but a container engine does. The image brings the
/// toolchain (the profile's host probe and read-only mounts do not apply), the limits become engine
/// flags (``ContainerArguments``), and at the timeout or on cancellation the container is killed by
/// name — killing the client alone would leave it running.
public struct ContainerRunner: SandboxRunner {
    public let engine: ContainerEngine
    public var name: String { engine.kind.rawValue }
    public var usesHostToolchain: Bool { false }
    /// The slots a run waits for before it starts (shared unless a test gives its own).
    public var slots: SandboxSlots = .shared
    private let logger: Logger

    public init(engine: ContainerEngine, logger: Logger = Logger(label: "forge.sandbox")) {
        self.engine = engine
        self.logger = logger
    }

    /// - Throws: `ForgeError(.sandboxUnavailable)` when the engine is missing or cannot start the
    ///   container (no daemon, image not present, runtime failure), `.config` when the profile has
    ///   no image; `CancellationError` when cancelled.
    public func run(_ command: SandboxCommand) async throws -> SandboxOutcome {
        guard let executable = engine.executable else {
            throw ForgeError(.sandboxUnavailable, "\(name) is not installed (no `\(name)` on PATH)",
                             hint: "install \(name), or use --sandbox bubblewrap")
        }
        guard let image = command.image else {
            throw ForgeError(.config, "the profile names no container image, so --sandbox \(name) cannot run it",
                             hint: "add `image = \"…\"` to the profile, or use --sandbox bubblewrap")
        }
        let containerName = "forge-\(UUID().uuidString.lowercased())"
        let arguments = try ContainerArguments(command: command, image: image, containerName: containerName).arguments()
        let process = SupervisedProcess(
            executable: executable, arguments: arguments, environment: nil, workingDirectory: "/",
            timeoutSeconds: command.limits.timeoutSeconds, outputLimit: command.limits.outputBytes,
            expectedPrefix: BubblewrapArguments.startMarker,
            onKill: { DispatchQueue.global().async { Self.removeBlocking(containerName, executable: executable) } })
        logger.debug("container run", metadata: ["engine": "\(name)", "image": "\(image)", "command": "\(command.arguments)"])
        let result: SupervisedProcess.Result
        do {
            result = try await process.run(logger: logger, slots: slots)
        } catch {
            await Self.remove(containerName, executable: executable)
            if error is CancellationError { throw error }
            throw ForgeError(.sandboxUnavailable, "\(name) could not be started (\(executable)): \(error)",
                             hint: "check that \(executable) is executable")
        }
        // --rm removes a container that ended by itself; one that was killed may still be there.
        if result.timedOut || Task.isCancelled { await Self.remove(containerName, executable: executable) }
        try Task.checkCancellation()
        if !result.timedOut && !result.output.prefixSeen {
            let detail = result.output.text.trimmingCharacters(in: .whitespacesAndNewlines)
            throw ForgeError(.sandboxUnavailable, "\(name) could not start the container: \(detail.isEmpty ? "no message" : detail)",
                             hint: "`\(name) pull \(image)` if the image is missing; `forge doctor` checks the engine")
        }
        return SandboxOutcome(result, limits: command.limits, events: nil, cgroup: nil)
    }

    /// `rm --force` the container, waiting on a GCD thread (never on the concurrency pool).
    static func remove(_ containerName: String, executable: String) async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                removeBlocking(containerName, executable: executable)
                continuation.resume()
            }
        }
    }

    static func removeBlocking(_ containerName: String, executable: String) {
        _ = HostCommand.run(executable, ["rm", "--force", containerName], timeoutSeconds: 30)
    }
}
