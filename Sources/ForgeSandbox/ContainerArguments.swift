import ForgeCore
import Foundation

/// The `docker run` / `podman run` command line for one ``SandboxCommand``: the same promises as
/// bubblewrap, spelled as engine flags.
///
/// No network; all capabilities dropped and no privilege gain; a read-only root with a private
/// `/tmp`; the workspace the only host directory, read-write at `/workspace`; the environment only
/// what the command sets (the engine adds the image's own); the limits as `--memory`,
/// `--pids-limit`, `--cpus` and `--ulimit`. The container runs as forge's own uid so files it writes
/// in the workspace belong to the user.
struct ContainerArguments {
    var command: SandboxCommand
    var image: String
    var containerName: String
    var uid = getuid()
    var gid = getgid()

    func arguments() throws -> [String] {
        guard !command.arguments.isEmpty else {
            throw ForgeError(.config, "sandbox command is empty", hint: "give the profile a test command")
        }
        let workspace = command.workspace.resolvingSymlinksInPath().path
        let limits = command.limits
        var args = ["run", "--rm", "--name", containerName, "--network", "none", "--cap-drop", "ALL",
                    "--security-opt", "no-new-privileges", "--read-only", "--tmpfs", "/tmp:rw,exec,nosuid,nodev",
                    "--user", "\(uid):\(gid)", "--volume", "\(workspace):\(BubblewrapRunner.workspaceMountPoint):rw",
                    "--workdir", BubblewrapRunner.workspaceMountPoint, "--entrypoint", "/bin/sh"]
        if let bytes = limits.memoryBytes { args += ["--memory", "\(bytes)", "--memory-swap", "\(bytes)"] }
        if let count = limits.maxProcesses { args += ["--pids-limit", "\(count)"] }
        if let cpus = limits.cpus { args += ["--cpus", "\(cpus)"] }
        if let seconds = limits.cpuSeconds { args += ["--ulimit", "cpu=\(seconds):\(seconds + 2)"] }
        if let bytes = limits.fileSizeBytes { args += ["--ulimit", "fsize=\(bytes):\(bytes)"] }
        args += ["--ulimit", "core=0:0"]
        var environment = ["HOME": BubblewrapArguments.home, "LANG": "C.UTF-8", "TMPDIR": "/tmp"]
        for (name, value) in command.environment where !name.isEmpty && !name.contains("=") { environment[name] = value }
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) { args += ["--env", "\(name)=\(value)"] }
        // As in bubblewrap: prove the container started, then become the command.
        let marker = String(decoding: BubblewrapArguments.startMarker, as: UTF8.self)
        args += [image, "-c", "mkdir -p \"$HOME\" && printf '%s' \"$0\" && exec \"$@\"", marker]
        return args + command.arguments
    }
}
