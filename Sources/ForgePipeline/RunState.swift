import ForgeCore
import ForgeGit

/// What a run has produced so far; the pipeline threads it through the stages.
struct RunState {
    let runID: RunID
    let branch: String
    let base: CommitID?
    var tip: CommitID?
    var commits: [CommitID] = []
    /// Every file forge wrote on the branch (sources, tests, `.forge/`), as of `tip`.
    var files = FileSet()
    var prd: PRD?
    var design: Design?
    var sourcePaths: [String] = []
    var testPaths: [String] = []
    /// SHA-256 of each test file when it was locked.
    var lockedTests: [String: String] = [:]
    var lastReport: TestReport?
    /// Stages with a commit on the branch; a resumed run skips them.
    var completedStages = Set<Stage>()
    var iterations = 0
    /// What each fix iteration tried and how it ended, told to the analyst and the fixer so the loop
    /// does not repeat itself.
    var attempts: [FixAttempt] = []

    init(runID: RunID, base: CommitID?) {
        self.runID = runID
        branch = runID.branchName
        self.base = base
        tip = base
    }
}
