import Foundation

/// A container engine forge can run a sandbox in: docker or podman, found on `PATH`, and whether it
/// really works here.
///
/// "Installed" is not "works": a docker client without a daemon, or a podman whose runtime (crun)
/// cannot set rlimits or cgroups on this kernel, fail only when a container starts. So the probe
/// goes as far as starting one: podman runs `true` from a throwaway root filesystem (no image or
/// network needed); both then run `true` in the profile's image when one is given (forge never
/// pulls: a missing image is a failure with the pull command as the hint). docker without an image
/// to try only confirms the daemon answers.
public struct ContainerEngine: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case docker, podman
    }

    /// The outcome of ``probe(image:timeoutSeconds:)``.
    public struct Status: Sendable, Equatable {
        public var works: Bool
        /// What was checked and what failed, in words (`forge doctor` prints it; skipped tests cite it).
        public var detail: String
        /// What to do about a failure.
        public var hint: String?
    }

    public var kind: Kind
    /// The client executable, nil when not installed.
    public var executable: String?

    public init(_ kind: Kind, executable: String? = nil) {
        self.kind = kind
        self.executable = executable ?? ToolchainProbe.resolve(kind.rawValue)
    }

    /// Checks the engine up to starting a container. Blocks the calling thread (up to a few
    /// timeouts); async callers use ``probeInBackground(image:)``.
    public func probe(image: String? = nil, timeoutSeconds: Double = 30) -> Status {
        guard let executable else {
            return Status(works: false, detail: "\(kind.rawValue) is not installed (no `\(kind.rawValue)` on PATH)",
                          hint: "install \(kind.rawValue), or use --sandbox bubblewrap")
        }
        let versionFormat = kind == .docker ? "{{.Server.Version}}" : "{{.Version}}"
        let version = HostCommand.run(executable, ["version", "--format", versionFormat], timeoutSeconds: timeoutSeconds)
        guard version.status == 0 else {
            return Status(works: false, detail: "the \(kind.rawValue) engine does not answer: \(version.lastLines)",
                          hint: kind == .docker ? "start the docker daemon (`systemctl start docker`), or use --sandbox bubblewrap"
                                                : "check `podman info`, or use --sandbox bubblewrap")
        }
        let server = version.output.trimmingCharacters(in: .whitespacesAndNewlines)
        // podman can prove its runtime without any image: do that first, it is the likelier failure.
        if kind == .podman {
            let runtime = probeRootfs(executable: executable, server: server, timeoutSeconds: timeoutSeconds)
            if !runtime.works || image == nil { return runtime }
        }
        if let image, let present = imagePresent(image, executable: executable, timeoutSeconds: timeoutSeconds) {
            guard present else {
                return Status(works: false, detail: "\(kind.rawValue) \(server) answers, but the image \(image) is not present",
                              hint: "`\(kind.rawValue) pull \(image)` (forge never pulls images itself)")
            }
            let run = HostCommand.run(executable, ["run", "--rm", "--network", "none", image, "true"],
                                      timeoutSeconds: timeoutSeconds * 2)
            return run.status == 0
                ? Status(works: true, detail: "\(kind.rawValue) \(server) ran `true` in \(image)")
                : Status(works: false, detail: "\(kind.rawValue) \(server) could not start a container: \(run.lastLines)",
                         hint: "run `\(kind.rawValue) run --rm \(image) true` to see why, or use --sandbox bubblewrap")
        }
        return Status(works: true, detail: "\(kind.rawValue) \(server) answers (no container tried: no image given)")
    }

    /// ``probe(image:timeoutSeconds:)`` on a GCD thread, so it never holds a Swift concurrency thread.
    public func probeInBackground(image: String? = nil) async -> Status {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: probe(image: image)) }
        }
    }

    private func imagePresent(_ image: String, executable: String, timeoutSeconds: Double) -> Bool? {
        let inspect = HostCommand.run(executable, ["image", "inspect", "--format", "{{.Id}}", image], timeoutSeconds: timeoutSeconds)
        return inspect.status == 0
    }

    /// podman runs a container from a directory: one holding `/usr/bin/true` and the libraries it
    /// loads is enough to prove the runtime can start a container here.
    private func probeRootfs(executable: String, server: String, timeoutSeconds: Double) -> Status {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("forge-rootfs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        do {
            try MinimalRootfs.populate(root, with: "/usr/bin/true")
        } catch {
            return Status(works: false, detail: "could not build a probe root filesystem: \(error)", hint: nil)
        }
        let run = HostCommand.run(executable, ["run", "--rm", "--network", "none", "--rootfs", root.path, "/usr/bin/true"],
                                  timeoutSeconds: timeoutSeconds * 2)
        if run.status == 0 { return Status(works: true, detail: "podman \(server) ran `true` in a container") }
        return Status(works: false, detail: "podman \(server) is installed but cannot start a container: \(run.lastLines)",
                      hint: "podman's runtime fails on this host (see the error); use --sandbox bubblewrap")
    }
}

/// A directory holding one dynamically linked executable and the shared libraries `ldd` lists for it.
enum MinimalRootfs {
    static func populate(_ root: URL, with executable: String) throws {
        let ldd = HostCommand.run("/usr/bin/ldd", [executable], timeoutSeconds: 10)
        var files = [executable]
        for line in ldd.output.split(separator: "\n") {
            // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)" or "/lib64/ld-linux-x86-64.so.2 (0x…)"
            let path = line.split(separator: " ").map(String.init).first { $0.hasPrefix("/") }
            if let path { files.append(path) }
        }
        for file in files {
            let target = root.appendingPathComponent(String(file.dropFirst()))
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: URL(fileURLWithPath: file).resolvingSymlinksInPath(), to: target)
        }
    }
}
