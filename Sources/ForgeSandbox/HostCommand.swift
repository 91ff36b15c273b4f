import Foundation

/// A short trusted command on the host (an engine's `version`, `ldd`), run to completion with a
/// timeout, blocking the calling thread.
///
/// Only for probes, which callers run off the Swift concurrency pool (see
/// ``ContainerEngine/probeInBackground(image:)``); sandboxed commands go through `SupervisedProcess`.
struct HostCommand {
    struct Result {
        var status: Int32
        var output: String

        /// The last few non-empty lines, joined: usually the error.
        var lastLines: String {
            let lines = output.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            return lines.isEmpty ? "exit status \(status), no message" : lines.suffix(3).joined(separator: " | ")
        }
    }

    static func run(_ executable: String, _ arguments: [String], timeoutSeconds: Double) -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return Result(status: 127, output: "\(executable) could not start: \(error.localizedDescription)")
        }
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds, execute: watchdog)
        // 64 KiB is plenty for a probe; reading to EOF keeps a chatty child from blocking on the pipe.
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        let text = String(decoding: data.prefix(64 << 10), as: UTF8.self)
        let timedOut = process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGTERM
        return Result(status: timedOut ? 124 : process.terminationStatus,
                      output: timedOut ? text + "\n(timed out after \(Int(timeoutSeconds))s)" : text)
    }
}
