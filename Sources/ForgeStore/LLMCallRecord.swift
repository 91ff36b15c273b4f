import Foundation
import ForgeCore

/// One request to a model provider: who answered, how many tokens, how long, whether it worked.
///
/// Only numbers and names: neither the prompt nor the answer is stored (they are in git and in
/// cassettes), and `error` must be a provider's error summary, never a request with its headers.
public struct LLMCallRecord: Sendable, Equatable, Codable {
    /// The row id, set when read back; nil before.
    public var id: Int64?
    public var runID: String
    public var stage: String
    public var iteration: Int
    public var provider: String
    public var model: String
    public var promptTokens: Int
    public var completionTokens: Int
    public var latencySeconds: Double
    public var ok: Bool
    /// What went wrong, when `ok` is false. Capped at `ForgeStore.maxNoteLength` characters.
    public var error: String?
    public var startedAt: Date

    public init(id: Int64? = nil, runID: String, stage: String, iteration: Int = 0,
                provider: String, model: String, promptTokens: Int = 0, completionTokens: Int = 0,
                latencySeconds: Double = 0, ok: Bool = true, error: String? = nil,
                startedAt: Date = Date()) {
        self.id = id
        self.runID = runID
        self.stage = stage
        self.iteration = iteration
        self.provider = provider
        self.model = model
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.latencySeconds = latencySeconds
        self.ok = ok
        self.error = error
        self.startedAt = startedAt
    }

    public var usage: Usage { Usage(promptTokens: promptTokens, completionTokens: completionTokens) }
}
