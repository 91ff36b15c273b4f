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
    /// The version the next fix starts from: the tip's, unless the last fix broke a passing test and
    /// was reverted, and the best version seen so far.
    var working: Candidate?
    var best: Candidate?
    /// The last test run's failure signature, and how many runs in a row repeated it.
    var lastSignature: FailureSignature?
    var repeats = 0
    var strategy = FixStrategy.targeted
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
