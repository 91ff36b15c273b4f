import ForgeCore
import ForgeGit

/// How a run ended: what the CLI prints and turns into an exit status.
public struct RunOutcome: Sendable {
    public enum Status: String, Sendable {
        case passed, failed, interrupted, error
    }

    public var runID: RunID
    public var branch: String
    public var base: CommitID?
    public var status: Status
    /// Why the loop stopped, in words: "tests pass", "iteration budget spent (4 fixes)", …
    public var stopReason: String
    /// Fix iterations run (0 when the first code passed).
    public var iterations: Int
    public var lastReport: TestReport?
    public var usage: Usage
    /// USD at the settings' prices (0 for the local model).
    public var cost: Double
    /// Wall-clock seconds, including time spent before a resume.
    public var seconds: Double
    public var commits: [CommitID]
    public var tip: CommitID?
    /// Set when the run ended on an error (provider, sandbox, stage failure).
    public var error: ForgeError?

    public var exitStatus: ExitStatus {
        switch status {
        case .passed: .success
        case .failed: .testsFailing
        case .interrupted: .interrupted
        case .error: error?.code.exitStatus ?? .testsFailing
        }
    }
}
