import Foundation
import ForgeCore

/// How a run ended, or that it is still going.
///
/// Stored as its raw value in `runs.status`; new cases may be added, never renamed.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    /// The pipeline is running (or the process died without saying otherwise).
    case running
    /// The tests pass.
    case passed
    /// A budget was spent or a stage failed with tests still failing.
    case failed
    /// Stopped by a signal; `forge resume` can continue it.
    case interrupted
    /// forge itself could not go on (configuration, provider, sandbox, store).
    case error
}

/// One `forge build` run, the row `forge log` and `forge show` read.
///
/// The record keeps numbers and names only: the spec text the user typed, the repository and branch,
/// the model, counters and the outcome. Prompts and model output live in git and cassettes, and API
/// keys are never passed here.
public struct RunRecord: Sendable, Equatable, Codable {
    /// The run id (`RunID.rawValue`), the primary key.
    public var id: String
    /// The spec as the user gave it.
    public var spec: String
    /// The repository the run commits to (absolute path).
    public var repoPath: String
    /// `forge/<run-id>`.
    public var branch: String
    /// The commit the branch starts from.
    public var baseCommit: String
    /// The sandbox profile's language (`swift`, `python`, …).
    public var language: String
    public var provider: String
    public var model: String
    public var status: RunStatus
    /// Why the run stopped, in words: "tests pass", "iteration budget spent (4)", "stage pm failed: …".
    public var stopReason: String?
    /// Fix iterations done so far.
    public var iterations: Int
    /// The iteration budget; 0 when not recorded.
    public var maxIterations: Int
    /// The last verify's counts, nil before the first verify.
    public var testsPassed: Int?
    public var testsFailed: Int?
    public var promptTokens: Int
    public var completionTokens: Int
    /// USD at the provider's configured prices; 0 for the local model.
    public var costUSD: Double
    public var startedAt: Date
    public var finishedAt: Date?
    /// The process exit status the run led to, once it ended.
    public var exitCode: Int?

    public init(id: String, spec: String, repoPath: String, branch: String, baseCommit: String,
                language: String, provider: String, model: String,
                status: RunStatus = .running, stopReason: String? = nil,
                iterations: Int = 0, maxIterations: Int = 0,
                testsPassed: Int? = nil, testsFailed: Int? = nil,
                promptTokens: Int = 0, completionTokens: Int = 0,
                startedAt: Date = Date(), finishedAt: Date? = nil, exitCode: Int? = nil, costUSD: Double = 0) {
        self.id = id
        self.spec = spec
        self.repoPath = repoPath
        self.branch = branch
        self.baseCommit = baseCommit
        self.language = language
        self.provider = provider
        self.model = model
        self.status = status
        self.stopReason = stopReason
        self.iterations = iterations
        self.maxIterations = maxIterations
        self.testsPassed = testsPassed
        self.testsFailed = testsFailed
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.costUSD = costUSD
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.exitCode = exitCode
    }

    /// The tokens the run spent, as recorded on the run row.
    public var usage: Usage { Usage(promptTokens: promptTokens, completionTokens: completionTokens) }
}
