import ForgeCore
import Foundation
import ForgeSandbox

/// A runner with NO isolation, for control experiments only: it runs the command on the host in the
/// workspace with the test process's environment. Running a hostile fixture through it must make
/// the fixture fail, which proves the fixture can detect the leak the sandbox prevents.
struct HostRunner: SandboxRunner {
    let name = "host (no isolation)"

    /// Waits on a GCD thread, not the Swift concurrency pool: the pool has one thread per core, and a
    /// test blocking it for the seconds pytest takes starves every other test's async work.
    func run(_ command: SandboxCommand) async throws -> SandboxOutcome {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try runBlocking(command) }) }
        }
    }

    private func runBlocking(_ command: SandboxCommand) throws -> SandboxOutcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command.arguments[0])
        process.arguments = Array(command.arguments.dropFirst())
        process.currentDirectoryURL = command.workspace
        process.environment = ProcessInfo.processInfo.environment.merging(command.environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let start = Date()
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let termination: TestReport.Termination = process.terminationReason == .exit
            ? .exited(process.terminationStatus) : .signalled(process.terminationStatus)
        return SandboxOutcome(termination: termination, output: String(decoding: output, as: UTF8.self),
                              outputTruncated: false, durationSeconds: Date().timeIntervalSince(start))
    }
}
