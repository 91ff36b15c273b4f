import ForgeCore

/// How a sandboxed command ended and what it printed.
public struct SandboxOutcome: Sendable, Equatable {
    /// Exit status, killing signal, or the timeout that stopped it.
    public var termination: TestReport.Termination
    /// Combined stdout and stderr, capped at the command's `outputBytes` plus a marker line saying so.
    public var output: String
    /// True when the cap cut the output.
    public var outputTruncated: Bool
    public var durationSeconds: Double
    /// What the sandbox's limits did to the run (a timeout, an OOM kill, refused forks…), in order.
    public var limitEvents: [SandboxLimitEvent]
    /// The cgroup directories the run used; all of them are removed before `run` returns.
    public var cgroupDirectories: [String]

    public init(termination: TestReport.Termination, output: String, outputTruncated: Bool,
                durationSeconds: Double, limitEvents: [SandboxLimitEvent] = [], cgroupDirectories: [String] = []) {
        self.termination = termination
        self.output = output
        self.outputTruncated = outputTruncated
        self.durationSeconds = durationSeconds
        self.limitEvents = limitEvents
        self.cgroupDirectories = cgroupDirectories
    }
}

/// Runs a command somewhere it cannot reach the network, the user's files or forge's secrets.
///
/// The seam between the pipeline and an isolation backend: ``BubblewrapRunner`` (the default),
/// ``ContainerRunner`` (docker or podman) and ``UnsandboxedRunner`` (`--sandbox none`, explicit
/// opt-in only). A non-zero exit, a crash or a timeout is data in the ``SandboxOutcome``; `run`
/// throws only when the sandbox itself cannot start.
public protocol SandboxRunner: Sendable {
    /// Short backend name for logs and reports, e.g. `bubblewrap`.
    var name: String { get }

    /// Runs `command` to completion or until its timeout.
    ///
    /// - Throws: `ForgeError` with code `.sandboxUnavailable` when the sandbox cannot be set up, or
    ///   `.config` when the command asks for something the sandbox refuses to expose.
    func run(_ command: SandboxCommand) async throws -> SandboxOutcome

    /// True when commands run with the host's toolchain (bubblewrap mounts it read-only, `none` uses
    /// it as is), so a profile's host probe applies; false for a container, whose image brings its own.
    var usesHostToolchain: Bool { get }
}

extension SandboxRunner {
    public var usesHostToolchain: Bool { true }
}
