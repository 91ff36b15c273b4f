import ForgeCore
import ForgeGit
import ForgeSandbox
import Foundation

/// Lays out the tree a commit *would* have — its parent's tree plus the pending changes — in a
/// fresh temp directory, runs the tests there, and removes it. Verifying before committing lets the
/// commit carry its own test results in the `Forge-Tests` trailer.
struct VerifyWorkspace {
    let repository: GitRepository
    let verifier: TestVerifier

    /// - Parameters:
    ///   - deleting: paths removed from the tree before the run (forge's own tests, when
    ///     `forge bench` grades a result with hidden tests only).
    ///   - timeoutSeconds: a shorter wall-clock limit than the profile's, for this run only.
    func verify(parent: CommitID?, changes: FileSet, deleting: [String] = [], timeoutSeconds: Double? = nil) async throws -> TestReport {
        let fm = FileManager.default
        let directory = fm.temporaryDirectory.appendingPathComponent("forge-verify-\(UUID().uuidString)", isDirectory: true)
        do {
            try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ForgeError(.io, "cannot create a temporary directory for the test run at \(directory.path): \(error)",
                             hint: "check that TMPDIR is writable and has free space")
        }
        defer { try? fm.removeItem(at: directory) }
        if let parent { try repository.materialize(parent, into: directory) }
        for path in deleting { try? fm.removeItem(at: directory.appendingPathComponent(path)) }
        try changes.write(into: directory)
        return try await verifier.verify(workspace: directory, timeoutSeconds: timeoutSeconds)
    }
}
