/// The bounds one sandboxed command runs within.
///
/// Today these are the wall-clock timeout and the captured-output cap. Memory, CPU-time and process
/// limits (rlimits through `prlimit`, cgroups) are planned; they belong here as optional fields so a
/// profile that sets them keeps decoding, and a runner that cannot enforce one says so.
public struct SandboxLimits: Sendable, Equatable, Codable {
    /// Wall-clock seconds before the whole sandbox (every process in it) is killed.
    public var timeoutSeconds: Double
    /// Bytes of combined stdout and stderr kept; the rest is drained and dropped.
    public var outputBytes: Int

    public init(timeoutSeconds: Double = 120, outputBytes: Int = 1 << 20) {
        self.timeoutSeconds = timeoutSeconds
        self.outputBytes = outputBytes
    }
}
