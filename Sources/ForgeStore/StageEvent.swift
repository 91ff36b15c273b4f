import Foundation
import ForgeCore

/// One finished stage of a run (PM, Architect, Developer, tests, a fix iteration): what it produced
/// and what it cost. Appended as the pipeline goes; read back in order by `forge show`.
public struct StageEvent: Sendable, Equatable, Codable {
    /// The row id, set by `ForgeStore.appendStageEvent`; nil before.
    public var id: Int64?
    public var runID: String
    /// The stage name (`Stage.rawValue`: pm, architect, developer, tests, verify, analyst, fix).
    public var stage: String
    /// The fix iteration the stage belongs to; 0 before the fix loop.
    public var iteration: Int
    /// `"ok"` or `"failed"`.
    public var status: String
    /// The commit the stage made on the run branch, if it made one.
    public var commit: String?
    public var testsPassed: Int?
    public var testsFailed: Int?
    public var promptTokens: Int
    public var completionTokens: Int
    /// A short note: a failure message, a diagnosis summary. Capped at `ForgeStore.maxNoteLength`
    /// characters when stored, so a model's echo of a whole prompt cannot land in the database.
    public var detail: String?
    public var startedAt: Date
    public var finishedAt: Date

    public init(id: Int64? = nil, runID: String, stage: String, iteration: Int = 0, status: String,
                commit: String? = nil, testsPassed: Int? = nil, testsFailed: Int? = nil,
                promptTokens: Int = 0, completionTokens: Int = 0, detail: String? = nil,
                startedAt: Date, finishedAt: Date = Date()) {
        self.id = id
        self.runID = runID
        self.stage = stage
        self.iteration = iteration
        self.status = status
        self.commit = commit
        self.testsPassed = testsPassed
        self.testsFailed = testsFailed
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.detail = detail
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    public static let ok = "ok"
    public static let failed = "failed"

    public var usage: Usage { Usage(promptTokens: promptTokens, completionTokens: completionTokens) }
}
