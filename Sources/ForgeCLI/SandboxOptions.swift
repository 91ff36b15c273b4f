import ArgumentParser
import ForgeSandbox
import Foundation
import Logging

/// `--sandbox bubblewrap|docker|podman|none`: where model-written code runs. Shared by `build`,
/// `resume`, `bench` and `sandbox run`.
///
/// Left out, forge uses bubblewrap, or a working docker/podman with the profile's image where
/// bubblewrap cannot run, and refuses (exit 4, naming the cause and the fix) when nothing works.
/// `none` is honoured only when given here, and warns on stderr every time.
struct SandboxOptions: ParsableArguments {
    @Option(name: .customLong("sandbox"),
            help: ArgumentHelp("Where generated code runs: bubblewrap (default), docker, podman, or none (no isolation).",
                               discussion: SandboxBackend.allCases.map { "\($0.rawValue): \($0.summary)" }.joined(separator: "; "),
                               valueName: "backend"))
    var backend: SandboxBackend?

    /// The runner for the chosen backend, checked to work here.
    ///
    /// - Parameter image: The profile's image, for docker and podman.
    /// - Throws: `ForgeError(.sandboxUnavailable)` (exit 4) saying why and what to do.
    func runner(image: String?, logger: Logger) async throws -> any SandboxRunner {
        if backend == SandboxBackend.none { Self.warnUnsandboxed() }
        return try await SandboxBackend.select(backend, image: image, logger: logger)
    }

    static func warnUnsandboxed() {
        FileHandle.standardError.write(Data("""
            forge: warning: --sandbox none runs model-written code on this machine WITHOUT isolation: it can read \
            your files, use the network and write anywhere you can. Only the time, memory and process limits, a \
            clean environment and a private HOME still apply.\n
            """.utf8))
    }
}

extension SandboxBackend: ExpressibleByArgument {}
