import Foundation

/// Reads Linux's `/proc` to follow a sandbox's processes from the host.
///
/// After a timeout forge kills bubblewrap's process group; the sandbox's pid namespace then dies
/// with its init, but the kernel tears it down asynchronously. To promise callers that nothing of a
/// killed sandbox is still running when `run` returns, the runner notes the namespace before the
/// kill and waits here until no process is left in it.
enum ProcessTable {
    /// The one-letter state from `/proc/<pid>/stat` (`R`, `S`, `Z`…), or nil when the pid is gone.
    static func state(of pid: Int32) -> Character? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].first { $0 != " " }
    }

    /// True when the process has exited (a zombie awaiting its reaper) or is gone.
    static func hasExited(_ pid: Int32) -> Bool {
        guard let state = state(of: pid) else { return true }
        return state == "Z" || state == "X"
    }

    /// Pids whose parent is `pid`: from `/proc/<pid>/task/<pid>/children` (one read) when the
    /// kernel offers it, else by scanning every process's parent.
    static func children(of pid: Int32) -> [Int32] {
        if let list = try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8) {
            return list.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        return allPids().filter { parent(of: $0) == pid }
    }

    /// The `pid:[inode]` identity of the process's pid namespace, or nil when it cannot be read.
    static func pidNamespace(of pid: Int32) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/pid")
    }

    /// Pids of processes still living in `namespace`. Zombies do not count: they are dead, and one
    /// whose parent (bwrap) was killed waits for the host's init to reap it, which can take seconds.
    static func processes(inPidNamespace namespace: String) -> [Int32] {
        allPids().filter { pidNamespace(of: $0) == namespace && !hasExited($0) }
    }

    /// Waits (polling) until no process is left in any of `namespaces`, or the deadline passes.
    ///
    /// - Returns: true when the namespaces are empty.
    static func waitUntilEmpty(_ namespaces: Set<String>, deadline: ContinuousClock.Instant) async -> Bool {
        var interval = 1
        while true {
            if namespaces.allSatisfy({ processes(inPidNamespace: $0).isEmpty }) { return true }
            if ContinuousClock.now >= deadline { return false }
            await SupervisedProcess.pause(milliseconds: interval)
            interval = min(interval * 2, 20)
        }
    }

    private static func parent(of pid: Int32) -> Int32? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // After ") " come the state and then the parent pid.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? Int32(fields[1]) : nil
    }

    private static func allPids() -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }
    }
}
