import ForgeCore
import Foundation
import ForgeSandbox

/// Wraps a runner and keeps every ``SandboxOutcome``, so a test that goes through `TestVerifier`
/// can still check what the sandbox itself reported (limit events, the cgroups it used).
final class RecordingRunner: SandboxRunner, @unchecked Sendable {
    let inner: any SandboxRunner
    private let lock = NSLock()
    private var recorded: [SandboxOutcome] = []

    init(_ inner: any SandboxRunner) { self.inner = inner }

    var name: String { inner.name }
    var usesHostToolchain: Bool { inner.usesHostToolchain }

    var outcomes: [SandboxOutcome] { lock.withLock { recorded } }

    func run(_ command: SandboxCommand) async throws -> SandboxOutcome {
        let outcome = try await inner.run(command)
        lock.withLock { recorded.append(outcome) }
        return outcome
    }
}

/// What "the machine is fine" means after a hostile run: nothing carrying the run's marker is alive,
/// every cgroup the run used is gone, and a new sandbox still starts.
enum HostAftermath {
    static func problems(marker: String?, outcomes: [SandboxOutcome]) async -> [String] {
        var problems: [String] = []
        if let marker, !ProcessScan.pids(withMarker: marker).isEmpty {
            problems.append("processes carrying \(marker) survived: \(ProcessScan.pids(withMarker: marker))")
        }
        for directory in outcomes.flatMap(\.cgroupDirectories) where FileManager.default.fileExists(atPath: directory) {
            problems.append("the run's cgroup \(directory) was left behind")
        }
        do {
            let workspace = try TestWorkspace("after")
            defer { workspace.remove() }
            let check = try await BubblewrapRunner().run(SandboxCommand(arguments: ["true"], workspace: workspace.url))
            if check.termination != .exited(0) { problems.append("a new sandbox did not run `true`: \(check.termination)") }
        } catch {
            problems.append("a new sandbox could not start: \(error)")
        }
        return problems
    }
}
