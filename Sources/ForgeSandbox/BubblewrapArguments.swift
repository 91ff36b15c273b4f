import ForgeCore
import Foundation

/// The bubblewrap command line for one ``SandboxCommand``: what the sandbox sees and nothing else.
///
/// The sandbox starts from an empty root: the toolchain directories (`/usr` and the merged-`/usr`
/// symlinks), a few `/etc` files the dynamic loader needs, the command's read-only paths, a fresh
/// `/proc`, a minimal `/dev`, a private `/tmp`, and the workspace read-write. Then the root is made
/// read-only, so the workspace and `/tmp` are the only writable places. Every namespace is new
/// (no network), capabilities are dropped, the environment is rebuilt from scratch.
struct BubblewrapArguments: Sendable {
    /// Top-level system directories bound read-only (or recreated as the symlinks they are).
    static let systemRoots = ["/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"]
    /// The pieces of `/etc` a dynamically linked toolchain needs; the rest of `/etc` stays out.
    static let etcFiles = ["/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives",
                           "/etc/localtime"]
    /// Printed by the sandbox's shell before it execs the command: proof the sandbox started.
    static let startMarker: [UInt8] = Array("\u{1E}forge-sandbox-started\u{1E}".utf8)
    static let home = "/tmp/home"
    static let basePath = "/usr/local/bin:/usr/bin:/bin"

    var command: SandboxCommand
    var workspaceMountPoint: String
    /// Host paths the read-only mounts must not expose.
    var guards: SandboxGuards

    /// The arguments after the bwrap executable.
    ///
    /// - Throws: `ForgeError(.config)` when a read-only path would expose a protected path, or
    ///   `.sandboxUnavailable` when the workspace is not a directory.
    func arguments() throws -> [String] {
        guard !command.arguments.isEmpty else {
            throw ForgeError(.config, "sandbox command is empty", hint: "give the profile a test command")
        }
        let workspace = command.workspace.resolvingSymlinksInPath().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: workspace, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ForgeError(.sandboxUnavailable, "sandbox workspace \(workspace) is not a directory",
                             hint: "materialise the tree before running the sandbox")
        }
        if let guarded = guards.exposed(by: workspace) {
            throw ForgeError(.config, "refusing to use \(workspace) as the sandbox workspace: it would expose \(guarded)",
                             hint: "run the sandbox over a temporary copy of the tree")
        }

        var args = ["--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--clearenv"]
        for (name, value) in environment().sorted(by: { $0.key < $1.key }) {
            args += ["--setenv", name, value]
        }
        args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--dir", Self.home]

        var bound: [String] = []
        for root in Self.systemRoots {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: root) {
                args += ["--symlink", target, root]
            } else if FileManager.default.fileExists(atPath: root) {
                args += ["--ro-bind", root, root]
                bound.append(root)
            }
        }
        for file in Self.etcFiles where FileManager.default.fileExists(atPath: file) {
            args += ["--ro-bind", file, file]
        }
        for path in try readOnlyMounts(alreadyBound: bound) {
            args += ["--ro-bind", path, path]
        }
        args += ["--bind", workspace, workspaceMountPoint, "--chdir", workspaceMountPoint, "--remount-ro", "/"]
        // The shell proves the sandbox started (bwrap prints only its own errors before this), then
        // becomes the command, so the command never holds anything of forge's.
        let marker = String(decoding: Self.startMarker, as: UTF8.self)
        args += ["--", "/bin/sh", "-c", "printf '%s' \"$0\" && exec \"$@\"", marker]
        args += command.arguments
        return args
    }

    /// The sandbox's whole environment: a fixed base, overlaid with the command's variables.
    func environment() -> [String: String] {
        var env = ["PATH": Self.basePath, "HOME": Self.home, "LANG": "C.UTF-8", "TMPDIR": "/tmp"]
        for (name, value) in command.environment where !name.isEmpty && !name.contains("=") {
            env[name] = value
        }
        return env
    }

    /// The command's read-only paths, resolved, without the missing ones and the ones already covered
    /// (by a system root or an ancestor in the list), ancestors first; refuses any that would expose
    /// a guarded path.
    func readOnlyMounts(alreadyBound: [String]) throws -> [String] {
        var candidates: Set<String> = []
        for raw in command.readOnlyPaths {
            guard raw.hasPrefix("/") else {
                throw ForgeError(.config, "read-only sandbox path \(raw) is not absolute",
                                 hint: "list toolchain paths as absolute paths in the profile")
            }
            let url = URL(fileURLWithPath: raw)
            // Guarded paths are refused whether or not they exist on this host, so a profile that
            // asks for one fails everywhere, not only where the path happens to exist.
            let standardized = url.standardizedFileURL.path
            if let guarded = guards.exposed(by: standardized) { throw refusal(standardized, guarded) }
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            candidates.insert(standardized)
            candidates.insert(url.resolvingSymlinksInPath().path)
        }
        var mounts: [String] = []
        for path in candidates.sorted(by: { ($0.count, $0) < ($1.count, $1) }) {
            if let guarded = guards.exposed(by: path) { throw refusal(path, guarded) }
            if !(alreadyBound + mounts).contains(where: { Self.path($0, contains: path) }) {
                mounts.append(path)
            }
        }
        return mounts
    }

    private func refusal(_ path: String, _ guarded: String) -> ForgeError {
        ForgeError(.config, "refusing to mount \(path) in the sandbox: it would expose \(guarded)",
                   hint: "mount only the toolchain's own directory (e.g. the interpreter's prefix)")
    }

    /// True when `inner` is `outer` or lies below it.
    static func path(_ outer: String, contains inner: String) -> Bool {
        let outer = outer.hasSuffix("/") ? String(outer.dropLast()) : outer
        return inner == outer || inner.hasPrefix(outer + "/") || outer.isEmpty
    }
}
