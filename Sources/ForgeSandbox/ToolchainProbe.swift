import ForgeCore
import Foundation
import Logging

/// Where a profile's toolchain lives on this host, as its probe reported.
///
/// The probe runs on the host, not in the sandbox: it is the profile's own trusted command, and it
/// must see the real `PATH` (pyenv shims, venvs) to find the interpreter the sandbox will mount. It
/// runs in an empty temp directory so nothing of a workspace can shadow what it imports.
public struct ToolchainProbe: Sendable, Equatable {
    /// The `interpreter=` path, substituted for `{interpreter}` in the profile's commands.
    public var interpreter: String?
    /// The `mount=` paths, mounted read-only in the sandbox.
    public var mounts: [String]

    public init(interpreter: String? = nil, mounts: [String] = []) {
        self.interpreter = interpreter
        self.mounts = mounts
    }

    /// Reads `interpreter=<path>` and `mount=<path>` lines; other lines are ignored.
    public static func parse(_ output: String) -> ToolchainProbe {
        var probe = ToolchainProbe()
        for line in output.split(whereSeparator: \.isNewline) {
            let line = line.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("interpreter=") {
                probe.interpreter = String(line.dropFirst("interpreter=".count))
            } else if line.hasPrefix("mount=") {
                let path = String(line.dropFirst("mount=".count))
                if !path.isEmpty && !probe.mounts.contains(path) { probe.mounts.append(path) }
            }
        }
        return probe
    }

    /// Runs `command` on the host and parses what it printed.
    ///
    /// - Throws: `ForgeError(.sandboxUnavailable)` when the probe cannot run, fails, or prints paths
    ///   that are not absolute: the toolchain the profile needs is not usable here.
    public static func run(_ command: [String], profileName: String, timeoutSeconds: Double = 60,
                           logger: Logger) async throws -> ToolchainProbe {
        guard let program = command.first else { return ToolchainProbe() }
        let hint = "install the toolchain the `\(profileName)` profile needs, so that `\(command.joined(separator: " "))` succeeds"
        guard let executable = resolve(program) else {
            throw ForgeError(.sandboxUnavailable, "the `\(profileName)` profile's probe cannot run: `\(program)` is not on PATH",
                             hint: hint)
        }
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("forge-probe-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let process = SupervisedProcess(executable: executable, arguments: Array(command.dropFirst()),
                                        environment: nil, workingDirectory: scratch.path,
                                        timeoutSeconds: timeoutSeconds, outputLimit: 64 << 10)
        let result: SupervisedProcess.Result
        do {
            result = try await process.run(logger: logger)
        } catch {
            throw ForgeError(.sandboxUnavailable, "the `\(profileName)` profile's probe could not start: \(error)", hint: hint)
        }
        let output = result.output.text
        guard !result.timedOut, result.ending == .exited(0) else {
            let why = result.timedOut ? "timed out after \(Int(timeoutSeconds))s" : "ended with \(result.ending)"
            let tail = output.split(whereSeparator: \.isNewline).suffix(3).joined(separator: " | ")
            throw ForgeError(.sandboxUnavailable, "the `\(profileName)` profile's probe \(why): \(tail)", hint: hint)
        }
        let probe = parse(output)
        if let bad = ([probe.interpreter].compactMap { $0 } + probe.mounts).first(where: { !$0.hasPrefix("/") }) {
            throw ForgeError(.sandboxUnavailable, "the `\(profileName)` profile's probe printed a relative path: \(bad)",
                             hint: "make the probe print absolute paths")
        }
        logger.debug("toolchain probed", metadata: ["profile": "\(profileName)",
                                                    "interpreter": "\(probe.interpreter ?? "-")",
                                                    "mounts": "\(probe.mounts)"])
        return probe
    }

    /// An absolute path as is; a bare name looked up on forge's `PATH`.
    static func resolve(_ program: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if program.contains("/") {
            return FileManager.default.isExecutableFile(atPath: program) ? program : nil
        }
        for directory in (environment["PATH"] ?? "").split(separator: ":") where directory.hasPrefix("/") {
            let candidate = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
