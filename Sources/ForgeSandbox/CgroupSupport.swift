import Foundation

/// Where forge can create a cgroup for one sandbox on this host, controller by controller.
///
/// A cgroup is the only limit the kernel applies to a whole process tree, root included: a `pids`
/// cgroup stops a fork bomb that `RLIMIT_NPROC` lets through for real root, and a `memory` cgroup
/// bounds the sum of every process's memory. forge makes the run's cgroup a child of its own cgroup
/// in each hierarchy (so limits set on forge by whoever started it still hold), using cgroup v2
/// where the unified hierarchy offers the controller and v1 otherwise (hybrid hosts mount both).
/// Detection makes and removes an empty probe cgroup, so "usable" means forge could really do it.
public struct CgroupSupport: Sendable, Equatable {
    public enum Version: String, Sendable, Equatable {
        case v1, v2
    }

    public enum Controller: String, Sendable, CaseIterable, Comparable {
        case memory, pids, cpu
        public static func < (lhs: Controller, rhs: Controller) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// One usable controller: its hierarchy's version and the directory the run's cgroup goes under.
    public struct Placement: Sendable, Equatable {
        public var version: Version
        public var parent: String
    }

    public var placements: [Controller: Placement]
    /// Why each unusable controller cannot be used, in words for `forge doctor`.
    public var problems: [Controller: String]

    public init(placements: [Controller: Placement] = [:], problems: [Controller: String] = [:]) {
        self.placements = placements
        self.problems = problems
    }

    /// No cgroups at all, e.g. when the caller asked for rlimits only.
    public static let none = CgroupSupport(
        placements: [:], problems: Dictionary(uniqueKeysWithValues: Controller.allCases.map { ($0, "cgroups not used") }))

    /// Probes this host: reads the mounts and forge's own cgroups, then tries each candidate.
    public static func detect(cgroupRoot: String = "/sys/fs/cgroup") -> CgroupSupport {
        let mountInfo = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        let membership = (try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) ?? ""
        var support = CgroupSupport()
        let mounts = CgroupMounts(mountInfo: mountInfo, membership: membership)
        for controller in Controller.allCases {
            var reasons: [String] = []
            for candidate in mounts.candidates(for: controller) {
                if let reason = problem(controller, at: candidate) {
                    reasons.append(reason)
                } else {
                    support.placements[controller] = candidate
                    break
                }
            }
            if support.placements[controller] == nil {
                support.problems[controller] = reasons.isEmpty
                    ? "no cgroup hierarchy with the \(controller.rawValue) controller is mounted (looked in /proc/self/mountinfo)"
                    : reasons.joined(separator: "; ")
            }
        }
        return support
    }

    /// Creates and removes an empty child of `placement.parent` and checks it carries the
    /// controller's limit file.
    ///
    /// - Returns: nil when forge can use the placement, else why not.
    static func problem(_ controller: Controller, at placement: Placement) -> String? {
        let child = placement.parent + "/forge-probe-\(UUID().uuidString.prefix(8))"
        do {
            try FileManager.default.createDirectory(atPath: child, withIntermediateDirectories: false)
        } catch {
            let why = (error as NSError).localizedDescription
            return "cannot create a cgroup under \(placement.parent) (\(placement.version.rawValue)): \(why)"
        }
        defer { rmdir(child) }
        let file = child + "/" + RunCgroup.limitFile(controller, placement.version)
        if FileManager.default.fileExists(atPath: file) { return nil }
        return placement.version == .v2
            ? "\(placement.parent) does not delegate the \(controller.rawValue) controller to its children "
                + "(add it to cgroup.subtree_control, or run forge in a delegated cgroup: systemd-run --scope -p Delegate=yes)"
            : "a new cgroup under \(placement.parent) has no \(RunCgroup.limitFile(controller, .v1))"
    }
}

/// The cgroup hierarchies mounted on this host, and forge's own place in each, read from
/// `/proc/self/mountinfo` and `/proc/self/cgroup`.
struct CgroupMounts {
    struct Mount: Equatable {
        var version: CgroupSupport.Version
        var root: String
        var mountPoint: String
        /// v1 only: the controllers bound to this hierarchy.
        var controllers: Set<String>
    }

    var mounts: [Mount] = []
    /// v1: controller list (as in /proc/self/cgroup, e.g. "cpu,cpuacct") → path; v2: "" → path.
    var membership: [String: String] = [:]

    init(mountInfo: String, membership text: String) {
        for line in mountInfo.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            guard let dash = fields.firstIndex(of: "-"), dash >= 5, fields.count >= dash + 4 else { continue }
            let type = fields[dash + 1]
            let root = Self.unescape(fields[3])
            let mountPoint = Self.unescape(fields[4])
            if type == "cgroup2" {
                mounts.append(Mount(version: .v2, root: root, mountPoint: mountPoint, controllers: []))
            } else if type == "cgroup" {
                let options = Set(fields[dash + 3].split(separator: ",").map(String.init))
                mounts.append(Mount(version: .v1, root: root, mountPoint: mountPoint, controllers: options))
            }
        }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3 else { continue }
            membership[parts[1]] = parts[2]
        }
    }

    /// Directories where forge could put a run's cgroup for `controller`: v2 first (when the
    /// unified hierarchy offers the controller to forge's cgroup), then v1.
    func candidates(for controller: CgroupSupport.Controller) -> [CgroupSupport.Placement] {
        var result: [CgroupSupport.Placement] = []
        if let mount = mounts.first(where: { $0.version == .v2 }), let own = membership[""] {
            let directory = Self.join(mount, own)
            let available = (try? String(contentsOfFile: directory + "/cgroup.controllers", encoding: .utf8)) ?? ""
            if available.split(whereSeparator: \.isWhitespace).contains(Substring(controller.rawValue)) {
                result.append(.init(version: .v2, parent: directory))
            }
        }
        for mount in mounts where mount.version == .v1 && mount.controllers.contains(controller.rawValue) {
            let key = membership.keys.first { $0.split(separator: ",").contains(Substring(controller.rawValue)) }
            guard let key, let own = membership[key] else { continue }
            let directory = Self.join(mount, own)
            if FileManager.default.fileExists(atPath: directory) { result.append(.init(version: .v1, parent: directory)) }
        }
        return result
    }

    /// The host directory of cgroup `path` in `mount`: the path is relative to the hierarchy's root,
    /// and the mount may show only a subtree of it (a container's cgroup namespace).
    static func join(_ mount: Mount, _ path: String) -> String {
        var relative = path
        if mount.root != "/", relative.hasPrefix(mount.root) { relative = String(relative.dropFirst(mount.root.count)) }
        let base = mount.mountPoint.hasSuffix("/") ? String(mount.mountPoint.dropLast()) : mount.mountPoint
        let tail = relative.hasPrefix("/") ? relative : "/" + relative
        return tail == "/" ? base : base + tail
    }

    /// mountinfo escapes space, tab, newline and backslash as octal.
    static func unescape(_ field: String) -> String {
        field.replacingOccurrences(of: "\\040", with: " ").replacingOccurrences(of: "\\011", with: "\t")
            .replacingOccurrences(of: "\\012", with: "\n").replacingOccurrences(of: "\\134", with: "\\")
    }
}
