/// The bounds one sandboxed command runs within.
///
/// The wall-clock timeout and the output cap always apply. The rest are enforced the strongest way
/// the host allows (see ``LimitEnforcement``): memory and processes by a per-run cgroup when forge
/// can create one, else by rlimits on every process; CPU time and file size by rlimits. A nil limit
/// is not applied at all.
public struct SandboxLimits: Sendable, Equatable, Codable {
    /// Wall-clock seconds before the whole sandbox (every process in it) is killed.
    public var timeoutSeconds: Double
    /// Bytes of combined stdout and stderr kept; the rest is drained and dropped.
    public var outputBytes: Int
    /// Memory of the whole sandbox: the cgroup's `memory.max` (v2) or `memory.limit_in_bytes` (v1),
    /// the OOM killer ending a process past it. Without a memory cgroup: each process's data segment
    /// (`RLIMIT_DATA`), so allocations past it fail.
    public var memoryBytes: Int?
    /// Processes and threads alive in the sandbox at once: the cgroup's `pids.max`; a fork past it
    /// fails. Without a pids cgroup: `RLIMIT_NPROC` counted from the user's current processes, which
    /// the kernel does not apply to real root.
    public var maxProcesses: Int?
    /// CPU seconds each process may use (`RLIMIT_CPU`): SIGXCPU at the limit, SIGKILL a little later.
    public var cpuSeconds: Int?
    /// The largest file a process may write (`RLIMIT_FSIZE`): SIGXFSZ, or EFBIG where it is ignored.
    public var fileSizeBytes: Int?
    /// CPU cores' worth of time per second for the whole sandbox (cgroup CPU quota), e.g. `1.0`;
    /// applied only with a cpu cgroup.
    public var cpus: Double?

    public static let defaultMemoryBytes = 2 << 30
    public static let defaultMaxProcesses = 512
    public static let defaultCPUSeconds = 600
    public static let defaultFileSizeBytes = 1 << 30

    public init(timeoutSeconds: Double = 120, outputBytes: Int = 1 << 20,
                memoryBytes: Int? = defaultMemoryBytes, maxProcesses: Int? = defaultMaxProcesses,
                cpuSeconds: Int? = defaultCPUSeconds, fileSizeBytes: Int? = defaultFileSizeBytes,
                cpus: Double? = nil) {
        self.timeoutSeconds = timeoutSeconds
        self.outputBytes = outputBytes
        self.memoryBytes = memoryBytes
        self.maxProcesses = maxProcesses
        self.cpuSeconds = cpuSeconds
        self.fileSizeBytes = fileSizeBytes
        self.cpus = cpus
    }

    /// Only the timeout and the output cap: for trusted host commands and comparisons.
    public static func unbounded(timeoutSeconds: Double, outputBytes: Int) -> SandboxLimits {
        SandboxLimits(timeoutSeconds: timeoutSeconds, outputBytes: outputBytes, memoryBytes: nil, maxProcesses: nil,
                      cpuSeconds: nil, fileSizeBytes: nil, cpus: nil)
    }
}
