import Foundation

/// How this host enforces a sandbox's ``SandboxLimits``: the cgroups forge can create, and rlimits
/// set by `prlimit` on the launcher, which every sandboxed process inherits.
///
/// Per limit, the strongest available means wins: a cgroup bounds the whole tree (memory summed
/// over every process; a process count that binds root too), an rlimit bounds each process. CPU
/// time and file size are rlimits everywhere; the wall-clock timeout and the output cap are forge's
/// own and always apply. `forge doctor` prints ``describe(_:)``.
public struct LimitEnforcement: Sendable, Equatable {
    public var cgroups: CgroupSupport
    /// util-linux `prlimit`, nil when missing (rlimits then cannot be set and runs refuse).
    public var prlimitPath: String?
    /// Real root: the kernel does not apply `RLIMIT_NPROC` to it.
    public var isRoot: Bool

    public init(cgroups: CgroupSupport, prlimitPath: String?, isRoot: Bool) {
        self.cgroups = cgroups
        self.prlimitPath = prlimitPath
        self.isRoot = isRoot
    }

    /// Probes this host (creates and removes an empty probe cgroup per controller).
    public static func detect() -> LimitEnforcement {
        LimitEnforcement(cgroups: .detect(), prlimitPath: ToolchainProbe.resolve("prlimit") ?? existing("/usr/bin/prlimit"),
                         isRoot: getuid() == 0)
    }

    /// rlimits and forge's own limits only, even where cgroups would work.
    public static func rlimitsOnly() -> LimitEnforcement {
        LimitEnforcement(cgroups: .none, prlimitPath: ToolchainProbe.resolve("prlimit") ?? existing("/usr/bin/prlimit"),
                         isRoot: getuid() == 0)
    }

    /// One phrase for the whole: `cgroup v1 (memory, pids, cpu) + rlimits`, `rlimits only`, …
    public var summary: String {
        let used = cgroups.placements.sorted { $0.key < $1.key }
        let rlimits = prlimitPath == nil ? "no rlimits (prlimit missing)" : "rlimits"
        guard !used.isEmpty else { return "\(rlimits) only" }
        let versions = Set(used.map(\.value.version.rawValue)).sorted().joined(separator: "+")
        return "cgroup \(versions) (\(used.map(\.key.rawValue).joined(separator: ", "))) + \(rlimits)"
    }

    /// For each limit: its name and what enforces it here, or why it does not hold.
    public func describe(_ limits: SandboxLimits) -> [(limit: String, enforcement: String)] {
        var lines: [(String, String)] = []
        lines.append(("timeout", "\(format(seconds: limits.timeoutSeconds)) wall clock, then SIGKILL to every process (forge)"))
        lines.append(("output", "\(format(bytes: limits.outputBytes)) of stdout+stderr kept, the rest dropped with a marker (forge)"))
        if let bytes = limits.memoryBytes {
            if let memory = cgroups.placements[.memory] {
                let file = RunCgroup.limitFile(.memory, memory.version)
                lines.append(("memory", "\(format(bytes: bytes)) for the whole sandbox: cgroup \(memory.version.rawValue) \(file) under \(memory.parent)"))
            } else {
                lines.append(("memory", "\(format(bytes: bytes)) per process: RLIMIT_DATA\(rlimitCaveat) — no memory cgroup: \(cgroups.problems[.memory] ?? "unknown")"))
            }
        }
        if let count = limits.maxProcesses {
            if let pids = cgroups.placements[.pids] {
                lines.append(("processes", "\(count) at once for the whole sandbox: cgroup \(pids.version.rawValue) pids.max under \(pids.parent)"))
            } else {
                let caveat = isRoot ? " — NOT enforced: the kernel ignores RLIMIT_NPROC for root, so only the timeout stops a fork bomb" : ""
                lines.append(("processes", "\(count) more than the user already runs: RLIMIT_NPROC\(rlimitCaveat)\(caveat) — no pids cgroup: \(cgroups.problems[.pids] ?? "unknown")"))
            }
        }
        if let seconds = limits.cpuSeconds {
            lines.append(("cpu time", "\(seconds)s per process: RLIMIT_CPU (SIGXCPU, then SIGKILL)\(rlimitCaveat)"))
        }
        if let cpus = limits.cpus {
            if let cpu = cgroups.placements[.cpu] {
                lines.append(("cpu share", "\(cpus) core(s) for the whole sandbox: cgroup \(cpu.version.rawValue) \(RunCgroup.limitFile(.cpu, cpu.version))"))
            } else {
                lines.append(("cpu share", "\(cpus) core(s): NOT enforced — no cpu cgroup: \(cgroups.problems[.cpu] ?? "unknown")"))
            }
        }
        if let bytes = limits.fileSizeBytes {
            lines.append(("file size", "\(format(bytes: bytes)) per file: RLIMIT_FSIZE\(rlimitCaveat)"))
        }
        return lines
    }

    private var rlimitCaveat: String { prlimitPath == nil ? " — NOT enforced: prlimit (util-linux) is missing" : "" }

    private static func existing(_ path: String) -> String? {
        FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }
}

/// Human sizes and durations for limit descriptions.
func format(bytes: Int) -> String {
    if bytes >= 1 << 30, bytes % (1 << 30) == 0 { return "\(bytes >> 30) GiB" }
    if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
    if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
    return "\(bytes) bytes"
}

func format(seconds: Double) -> String {
    seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
}
