import Foundation
import Logging
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Runs the installer's tools (python, pip) with their output merged and read line by line, so a
/// long build can show it is alive and a failure can quote its last lines.
struct ToolRunner: Sendable {
    struct Outcome: Sendable {
        /// The exit status (a signal counts as failure).
        var exitCode: Int32?
        /// The last lines of output, for error hints.
        var tail: [String]

        var succeeded: Bool { exitCode == 0 }
        var tailText: String { tail.joined(separator: "\n") }
    }

    let logger: Logger
    var tailLength = 25

    /// Runs `executable` to completion. A non-zero exit is data, not an error.
    /// - Throws: `SubprocessError` when the program cannot start; `CancellationError` on cancel.
    func run(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
             onLine: (@Sendable (String) -> Void)? = nil) async throws -> Outcome {
        var updates: [Environment.Key: String?] = [:]
        for (key, value) in environment { updates[Environment.Key(rawValue: key)!] = value }
        logger.debug("running tool", metadata: ["executable": "\(executable.path)", "arguments": "\(arguments.joined(separator: " "))"])
        let tailLength = self.tailLength
        let logger = self.logger
        let result = try await Subprocess.run(
            .path(FilePath(executable.path)), arguments: Arguments(arguments),
            environment: .inherit.updating(updates), input: .none, output: .sequence, error: .combinedWithOutput
        ) { execution in
            var tail: [String] = []
            for try await line in execution.standardOutput.strings() {
                logger.trace("tool output", metadata: ["line": "\(line)"])
                onLine?(line)
                tail.append(line)
                if tail.count > tailLength { tail.removeFirst() }
            }
            return tail
        }
        let exitCode: Int32?
        if case .exited(let code) = result.terminationStatus { exitCode = code } else { exitCode = nil }
        return Outcome(exitCode: exitCode, tail: result.closureResult)
    }

    /// The first executable called `name` on `PATH`.
    static func find(_ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> URL? {
        for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}
