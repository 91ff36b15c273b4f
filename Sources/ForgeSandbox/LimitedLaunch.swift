import ForgeCore
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// The launcher in front of a sandbox: a shell that moves itself into the run's cgroups, then
/// `prlimit` setting the rlimits, then the sandbox itself (bwrap, or the bare command for
/// `--sandbox none`), each `exec`ing the next so the pid forge watches stays the same.
///
/// Why a launcher and not "spawn, then write the pid into the cgroup": between the spawn and that
/// write, bwrap may already have forked, and a child forked before the move stays outside the
/// cgroup — unlimited and unkillable through it. The shell joins before it execs anything, so every
/// process of the sandbox is born inside. It costs one `sh` and one `prlimit` exec (about a
/// millisecond; `Benchmarks/sandbox-startup.sh` measures it).
struct LimitedLaunch: Sendable {
    var executable: String
    var arguments: [String]
    var cgroup: RunCgroup?
    /// Set when this host has cgroups but this run's could not be made: it runs on rlimits alone.
    var cgroupProblem: String?

    /// `$0` is a label, then cgroup.procs files up to `--`, then the command.
    static let joinScript = #"while [ "$1" != -- ]; do echo $$ > "$1" || { echo "forge: cannot join the cgroup $1" >&2; exit 125; }; shift; done; shift; exec "$@""#

    /// Creates the run's cgroup and builds the launcher's command line for `command`.
    ///
    /// - Throws: `ForgeError(.sandboxUnavailable)` when the limits need rlimits and `prlimit` is missing.
    static func prepare(_ command: [String], limits: SandboxLimits, enforcement: LimitEnforcement,
                        logger: Logger) throws -> LimitedLaunch {
        var cgroup: RunCgroup?
        var problem: String?
        if !enforcement.cgroups.placements.isEmpty {
            do {
                cgroup = try RunCgroup.create(support: enforcement.cgroups, limits: limits)
            } catch {
                problem = "\(error)"
                logger.warning("could not create the sandbox's cgroup; running on rlimits alone", metadata: ["error": "\(error)"])
            }
        }
        var chain = command
        let flags = rlimitFlags(limits, cgroup: cgroup)
        if !flags.isEmpty {
            guard let prlimit = enforcement.prlimitPath else {
                throw ForgeError(.sandboxUnavailable, "cannot set the sandbox's resource limits: prlimit is not installed",
                                 hint: "install util-linux (`apt-get install util-linux`), which provides prlimit")
            }
            chain = [prlimit] + flags + ["--"] + chain
        }
        if let cgroup {
            chain = ["/bin/sh", "-c", joinScript, "forge-launch"] + cgroup.procsFiles + ["--"] + chain
        }
        return LimitedLaunch(executable: chain[0], arguments: Array(chain.dropFirst()), cgroup: cgroup, cgroupProblem: problem)
    }

    /// Reads what the limits stopped, then kills whatever is still in the run's cgroup and removes it.
    ///
    /// - Returns: the cgroup's counters (nil without a cgroup).
    func finish(logger: Logger) async -> RunCgroup.Events? {
        guard let cgroup else { return nil }
        let events = cgroup.events()
        let deadline = ContinuousClock.now + .seconds(10)
        if !(await cgroup.killUntilEmpty(deadline: deadline)) {
            logger.warning("processes of a finished sandbox are still alive", metadata: ["cgroup": "\(cgroup.name)"])
        }
        let left = await cgroup.remove(deadline: deadline)
        if !left.isEmpty {
            logger.warning("could not remove the sandbox's cgroup", metadata: ["directories": "\(left)"])
        }
        return events
    }

    /// `prlimit` options for the limits no cgroup of this run covers (memory and processes), plus
    /// CPU time, file size and no core dumps.
    static func rlimitFlags(_ limits: SandboxLimits, cgroup: RunCgroup?) -> [String] {
        var flags: [String] = []
        func add(_ option: String, _ resource: Int32, soft: UInt64, hard: UInt64) {
            let ceiling = currentHardLimit(resource)
            let hard = min(hard, ceiling)
            flags.append("--\(option)=\(min(soft, hard)):\(hard)")
        }
        add("core", Int32(RLIMIT_CORE.rawValue), soft: 0, hard: 0)
        if let seconds = limits.cpuSeconds {
            // SIGXCPU at the soft limit; SIGKILL at the hard one for a process that ignores it.
            add("cpu", Int32(RLIMIT_CPU.rawValue), soft: UInt64(seconds), hard: UInt64(seconds) + 2)
        }
        if let bytes = limits.fileSizeBytes {
            add("fsize", Int32(RLIMIT_FSIZE.rawValue), soft: UInt64(bytes), hard: UInt64(bytes))
        }
        if let bytes = limits.memoryBytes, cgroup?.member(.memory) == nil {
            add("data", Int32(RLIMIT_DATA.rawValue), soft: UInt64(bytes), hard: UInt64(bytes))
        }
        if let count = limits.maxProcesses, cgroup?.member(.pids) == nil {
            // RLIMIT_NPROC counts all of the user's processes, so allow `count` more than it runs now.
            let total = UInt64(count + userTaskCount())
            add("nproc", Int32(__RLIMIT_NPROC.rawValue), soft: total, hard: total)
        }
        return flags
    }

    private static func currentHardLimit(_ resource: Int32) -> UInt64 {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(resource), &limit) == 0 else { return UInt64.max }
        return UInt64(limit.rlim_max)
    }

    /// Threads of every process whose real uid is ours: what RLIMIT_NPROC compares against.
    static func userTaskCount() -> Int {
        let uid = String(getuid())
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        var total = 0
        for pid in entries where Int32(pid) != nil {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { continue }
            var owned = false
            var threads = 1
            for line in status.split(separator: "\n") {
                if line.hasPrefix("Uid:") { owned = line.split(whereSeparator: \.isWhitespace).dropFirst().first.map(String.init) == uid }
                if line.hasPrefix("Threads:") { threads = Int(line.split(whereSeparator: \.isWhitespace).last ?? "1") ?? 1 }
            }
            if owned { total += threads }
        }
        return total
    }
}
