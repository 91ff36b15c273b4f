import ForgeCore
import Foundation
import Logging

/// The isolation backends forge can run a profile's commands in, and the choice among them.
///
/// Without an explicit choice forge uses bubblewrap and, where bubblewrap cannot run, a container
/// engine that works (docker, then podman, with the profile's image). `none` is never chosen for
/// the user: only an explicit `--sandbox none` runs model-written code unisolated. When nothing
/// works the choice fails closed with `ForgeError(.sandboxUnavailable)` (exit 4), naming the cause
/// and the fix.
public enum SandboxBackend: String, Sendable, CaseIterable {
    case bubblewrap, docker, podman, none

    /// What the user sees in `--help`.
    public var summary: String {
        switch self {
        case .bubblewrap: "namespaces, no daemon, starts in milliseconds (default)"
        case .docker: "a docker container from the profile's image"
        case .podman: "a podman container from the profile's image"
        case .none: "NO isolation: runs on this machine, with limits and a clean environment only"
        }
    }

    /// A runner for this backend, checked to work here.
    ///
    /// - Parameters:
    ///   - image: The profile's image, for docker and podman.
    /// - Throws: `ForgeError(.sandboxUnavailable)` saying why the backend does not work here and how to fix it.
    public func checkedRunner(image: String?, logger: Logger = Logger(label: "forge.sandbox")) async throws -> any SandboxRunner {
        switch self {
        case .bubblewrap:
            try await BubblewrapRunner.checkAvailable()
            return BubblewrapRunner(logger: logger)
        case .docker, .podman:
            let engine = ContainerEngine(self == .docker ? .docker : .podman)
            let status = await engine.probeInBackground(image: image)
            guard status.works else {
                throw ForgeError(.sandboxUnavailable, "--sandbox \(rawValue) cannot run here: \(status.detail)",
                                 hint: status.hint ?? "use --sandbox bubblewrap")
            }
            return ContainerRunner(engine: engine, logger: logger)
        case .none:
            return UnsandboxedRunner(logger: logger)
        }
    }

    /// The runner for an explicit choice, or the first backend that works when there is none.
    ///
    /// - Throws: `ForgeError(.sandboxUnavailable)`: for an explicit choice, why it does not work;
    ///   otherwise bubblewrap's cause and fix, plus why each container engine did not work either.
    public static func select(_ requested: SandboxBackend?, image: String?, logger: Logger = Logger(label: "forge.sandbox")) async throws -> any SandboxRunner {
        if let requested { return try await requested.checkedRunner(image: image, logger: logger) }
        let bubblewrapError: ForgeError
        do {
            return try await SandboxBackend.bubblewrap.checkedRunner(image: image, logger: logger)
        } catch let error as ForgeError {
            bubblewrapError = error
        }
        var tried: [String] = []
        if image != nil {
            for engine in [SandboxBackend.docker, .podman] {
                do {
                    let runner = try await engine.checkedRunner(image: image, logger: logger)
                    logger.warning("bubblewrap is unavailable; using \(engine.rawValue) instead",
                                   metadata: ["cause": "\(bubblewrapError.message)"])
                    return runner
                } catch let error as ForgeError {
                    tried.append(error.message)
                }
            }
        }
        let engines = tried.isEmpty ? "" : " (no container engine works either: " + tried.joined(separator: "; ") + ")"
        throw ForgeError(.sandboxUnavailable, bubblewrapError.message + engines, hint: bubblewrapError.hint)
    }
}
