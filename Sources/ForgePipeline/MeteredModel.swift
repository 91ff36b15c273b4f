import ForgeCore
import ForgeLLM
import ForgeStore
import Foundation

/// The model as one stage sees it: every call is checked against the budget, counted, recorded in
/// the store (numbers only, never prompt text) and reported as progress.
struct MeteredModel: ChatModel {
    let inner: any ChatModel
    let stage: Stage
    let iteration: Int
    let runID: RunID
    let ledger: UsageLedger
    let store: ForgeStore
    let reporter: any PipelineReporter

    var providerName: String { inner.providerName }
    var modelName: String { inner.modelName }
    var supportsJSONSchema: Bool { inner.supportsJSONSchema }

    func complete(_ request: ChatRequest, progress: (@Sendable (ChatProgress) -> Void)?) async throws -> ChatResponse {
        let promptCharacters = request.messages.reduce(0) { $0 + $1.content.count }
        try await ledger.reserve(promptCharacters: promptCharacters, maxCompletionTokens: request.maxTokens ?? 1024)
        let started = Date()
        let stage = stage
        let reporter = reporter
        do {
            let response = try await inner.complete(request) { update in
                reporter.modelProgress(stage, completionTokens: update.completionTokens)
                progress?(update)
            }
            await ledger.add(response.usage)
            record(started: started, usage: response.usage, latency: response.latencySeconds, error: nil)
            return response
        } catch {
            record(started: started, usage: .zero, latency: Date().timeIntervalSince(started), error: error)
            throw error
        }
    }

    private func record(started: Date, usage: Usage, latency: Double, error: (any Error)?) {
        let call = LLMCallRecord(
            runID: runID.rawValue, stage: stage.rawValue, iteration: iteration,
            provider: inner.providerName, model: inner.modelName,
            promptTokens: usage.promptTokens, completionTokens: usage.completionTokens,
            latencySeconds: latency, ok: error == nil,
            error: error.map { String(String(describing: $0).prefix(300)) }, startedAt: started)
        // The store is bookkeeping: a full disk must not kill a run whose work is safe in git.
        try? store.recordLLMCall(call)
    }
}
