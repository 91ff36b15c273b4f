import Foundation

/// One command to run inside a sandbox: what to execute, over which workspace, with what.
///
/// The workspace is the only host directory the command can write; it appears inside the sandbox at
/// ``BubblewrapRunner/workspaceMountPoint`` and is the working directory. Nothing of the caller's
/// environment reaches the command: only a fixed base (`PATH`, `HOME`, `LANG`, `TMPDIR`) overlaid with
/// ``environment``.
public struct SandboxCommand: Sendable {
    /// The program and its arguments; the program is looked up on the sandbox's `PATH` when it is not
    /// an absolute path.
    public var arguments: [String]
    /// The host directory bound read-write as the sandbox's workspace.
    public var workspace: URL
    /// Variables set inside the sandbox, over the base environment.
    public var environment: [String: String]
    /// Host paths bound read-only at the same path inside (toolchains); missing ones are skipped.
    public var readOnlyPaths: [String]
    public var limits: SandboxLimits
    /// The container image a docker or podman backend runs the command in (the profile's `image`);
    /// bubblewrap and `none` ignore it.
    public var image: String?

    public init(arguments: [String], workspace: URL, environment: [String: String] = [:],
                readOnlyPaths: [String] = [], limits: SandboxLimits = .init(), image: String? = nil) {
        self.arguments = arguments
        self.workspace = workspace
        self.environment = environment
        self.readOnlyPaths = readOnlyPaths
        self.limits = limits
        self.image = image
    }
}
