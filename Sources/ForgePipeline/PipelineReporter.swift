import ForgeCore
import ForgeGit

/// What the pipeline tells the person (or CI log) watching a run. The CLI prints these; tests use
/// ``SilentReporter`` or collect them.
public protocol PipelineReporter: Sendable {
    func runStarted(runID: RunID, branch: String, base: CommitID?, language: String, model: String)
    func stageStarted(_ stage: Stage, iteration: Int, detail: String)
    /// Tokens generated so far by the current model call (for a live counter).
    func modelProgress(_ stage: Stage, completionTokens: Int)
    func stageFinished(_ stage: Stage, iteration: Int, summary: String, commit: CommitID?)
    func runFinished(_ outcome: RunOutcome)
}

/// Reports nothing.
public struct SilentReporter: PipelineReporter {
    public init() {}
    public func runStarted(runID: RunID, branch: String, base: CommitID?, language: String, model: String) {}
    public func stageStarted(_ stage: Stage, iteration: Int, detail: String) {}
    public func modelProgress(_ stage: Stage, completionTokens: Int) {}
    public func stageFinished(_ stage: Stage, iteration: Int, summary: String, commit: CommitID?) {}
    public func runFinished(_ outcome: RunOutcome) {}
}
