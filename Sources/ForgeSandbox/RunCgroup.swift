import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The cgroup(s) of one sandbox run: created with the run's limits before it starts, joined by the
/// launcher before it execs the sandbox, read for what the limits stopped, emptied and removed after.
///
/// On v2 this is one directory; on v1 one per controller (`memory`, `pids`, `cpu` live in separate
/// hierarchies). Every process the sandbox starts inherits the cgroup and cannot leave it (it sees
/// no `/sys/fs/cgroup`), so killing what is listed in it reaches everything the run left behind.
struct RunCgroup: Sendable {
    struct Member: Sendable, Equatable {
        var controller: CgroupSupport.Controller
        var version: CgroupSupport.Version
        var directory: String
    }

    /// What the limits stopped, read from the cgroup after the run.
    struct Events: Sendable, Equatable {
        /// Processes the OOM killer ended for going past the memory limit.
        var oomKills = 0
        /// Forks and clones refused because the process limit was reached.
        var refusedForks = 0
        /// The most memory the sandbox held at once, when the kernel reports it.
        var peakMemoryBytes: Int?
    }

    let name: String
    let members: [Member]

    /// The file holding `controller`'s limit, which also proves the controller is enabled.
    static func limitFile(_ controller: CgroupSupport.Controller, _ version: CgroupSupport.Version) -> String {
        switch (controller, version) {
        case (.memory, .v1): "memory.limit_in_bytes"
        case (.memory, .v2): "memory.max"
        case (.pids, _): "pids.max"
        case (.cpu, .v1): "cpu.cfs_quota_us"
        case (.cpu, .v2): "cpu.max"
        }
    }

    /// Creates the run's cgroups for the limits that need one, and the `pids` one regardless (it is
    /// the handle that kills whatever the run leaves behind).
    ///
    /// - Throws: `CgroupError` when a directory or a limit cannot be written; whatever was created
    ///   is removed first.
    static func create(support: CgroupSupport, limits: SandboxLimits, name: String = "forge-\(UUID().uuidString)") throws -> RunCgroup? {
        sweepStale(under: Set(support.placements.values.map(\.parent)))
        var wanted: [CgroupSupport.Controller] = [.pids]
        if limits.memoryBytes != nil { wanted.append(.memory) }
        if limits.cpus != nil { wanted.append(.cpu) }
        var members: [Member] = []
        var created: [String] = []
        do {
            for controller in wanted {
                guard let placement = support.placements[controller] else { continue }
                let directory = placement.parent + "/" + name
                if !created.contains(directory) {
                    try makeDirectory(directory)
                    created.append(directory)
                }
                let member = Member(controller: controller, version: placement.version, directory: directory)
                try apply(limits, to: member)
                members.append(member)
            }
        } catch {
            for directory in created.reversed() { _ = rmdir(directory) }
            throw error
        }
        return members.isEmpty ? nil : RunCgroup(name: name, members: members)
    }

    /// Removes empty `forge-*` cgroups older than `age` under `parents`: what a forge killed
    /// mid-run (SIGKILL, power loss) could not remove itself. A cgroup with processes in it cannot be
    /// removed, so a long run's is never touched; a fresh one is spared by its age.
    static func sweepStale(under parents: Set<String>, prefix: String = "forge-", age: Duration = .seconds(600)) {
        let cutoff = Date().addingTimeInterval(-Double(age.components.seconds))
        for parent in parents {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
            for entry in entries where entry.hasPrefix(prefix) {
                let path = parent + "/" + entry
                guard let created = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                      created < cutoff else { continue }
                _ = rmdir(path)
            }
        }
    }

    /// The `cgroup.procs` files a launcher writes its pid into, one per directory.
    var procsFiles: [String] {
        var seen: [String] = []
        for member in members where !seen.contains(member.directory + "/cgroup.procs") {
            seen.append(member.directory + "/cgroup.procs")
        }
        return seen
    }

    func member(_ controller: CgroupSupport.Controller) -> Member? { members.first { $0.controller == controller } }

    /// Pids of the processes in the run's cgroup (read from the `pids` member when there is one).
    func processes() -> [Int32] {
        guard let directory = (member(.pids) ?? members.first)?.directory,
              let text = try? String(contentsOfFile: directory + "/cgroup.procs", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { Int32($0) }
    }

    /// SIGKILLs every process in the cgroup, once.
    func killAll() {
        if let v2 = members.first(where: { $0.version == .v2 }),
           FileManager.default.fileExists(atPath: v2.directory + "/cgroup.kill") {
            try? Self.write("1", to: v2.directory + "/cgroup.kill")
        }
        for pid in processes() { kill(pid, SIGKILL) }
    }

    /// Kills until nothing is left in the cgroup or the deadline passes (a process may fork between a
    /// read and a kill; the next round gets its child).
    ///
    /// - Returns: true when the cgroup is empty.
    func killUntilEmpty(deadline: ContinuousClock.Instant) async -> Bool {
        while true {
            if processes().isEmpty { return true }
            if ContinuousClock.now >= deadline { return false }
            killAll()
            await SupervisedProcess.pause()
        }
    }

    /// What the limits stopped during the run.
    func events() -> Events {
        var events = Events()
        if let memory = member(.memory) {
            switch memory.version {
            case .v1:
                events.oomKills = Self.counter("oom_kill", in: memory.directory + "/memory.oom_control")
                events.peakMemoryBytes = Self.number(in: memory.directory + "/memory.max_usage_in_bytes")
            case .v2:
                events.oomKills = Self.counter("oom_kill", in: memory.directory + "/memory.events")
                events.peakMemoryBytes = Self.number(in: memory.directory + "/memory.peak")
            }
        }
        if let pids = member(.pids) {
            events.refusedForks = Self.counter("max", in: pids.directory + "/pids.events")
        }
        return events
    }

    /// Removes the run's directories, retrying briefly while the kernel finishes tearing down the
    /// last processes (rmdir fails with EBUSY until the cgroup is empty).
    ///
    /// - Returns: the directories that could not be removed.
    func remove(deadline: ContinuousClock.Instant) async -> [String] {
        var remaining = Array(Set(members.map(\.directory))).sorted()
        while !remaining.isEmpty {
            remaining = remaining.filter { rmdir($0) != 0 && errno != ENOENT }
            if remaining.isEmpty || ContinuousClock.now >= deadline { break }
            killAll()
            await SupervisedProcess.pause()
        }
        return remaining
    }

    private static func apply(_ limits: SandboxLimits, to member: Member) throws {
        let directory = member.directory
        switch (member.controller, member.version) {
        case (.memory, .v1):
            guard let bytes = limits.memoryBytes else { return }
            try write("\(bytes)", to: directory + "/memory.limit_in_bytes")
            // With swap accounting, also bound memory+swap, so swapping out does not escape the limit.
            if FileManager.default.fileExists(atPath: directory + "/memory.memsw.limit_in_bytes") {
                try write("\(bytes)", to: directory + "/memory.memsw.limit_in_bytes")
            }
        case (.memory, .v2):
            guard let bytes = limits.memoryBytes else { return }
            try write("\(bytes)", to: directory + "/memory.max")
            if FileManager.default.fileExists(atPath: directory + "/memory.swap.max") {
                try write("0", to: directory + "/memory.swap.max")
            }
        case (.pids, _):
            if let count = limits.maxProcesses { try write("\(count)", to: directory + "/pids.max") }
        case (.cpu, .v1):
            guard let cpus = limits.cpus else { return }
            try write("100000", to: directory + "/cpu.cfs_period_us")
            try write("\(max(1000, Int(cpus * 100_000)))", to: directory + "/cpu.cfs_quota_us")
        case (.cpu, .v2):
            guard let cpus = limits.cpus else { return }
            try write("\(max(1000, Int(cpus * 100_000))) 100000", to: directory + "/cpu.max")
        }
    }

    private static func makeDirectory(_ path: String) throws {
        if mkdir(path, 0o755) != 0 { throw CgroupError(path: path, action: "create", errno: errno) }
    }

    static func write(_ value: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CgroupError(path: path, action: "open", errno: errno) }
        defer { close(fd) }
        let bytes = Array(value.utf8)
        if Glibc.write(fd, bytes, bytes.count) != bytes.count {
            throw CgroupError(path: path, action: "write \"\(value)\" to", errno: errno)
        }
    }

    /// The value after `key` in a flat-keyed file such as `memory.events` (`oom_kill 3`).
    static func counter(_ key: String, in path: String) -> Int {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[0] == key { return Int(parts[1]) ?? 0 }
        }
        return 0
    }

    private static func number(in path: String) -> Int? {
        (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}

/// A cgroup file operation that failed, with the errno's text.
struct CgroupError: Error, CustomStringConvertible {
    var path: String
    var action: String
    var errno: Int32
    var description: String { "cannot \(action) \(path): \(String(cString: strerror(errno)))" }
}
