/// The seam between the pipeline and whatever answers its prompts: an HTTP provider, the embedded
/// local model, or a recorded cassette.
///
/// Implementations are safe to call from concurrent tasks and cancel promptly: when the calling task
/// is cancelled, `complete` stops the underlying request and throws `CancellationError`.
public protocol ChatModel: Sendable {
    /// `local`, `openai`, `replay`, …: the first half of the `Forge-Model:` trailer.
    var providerName: String { get }
    /// The second half of the `Forge-Model:` trailer.
    var modelName: String { get }
    /// True when the provider honours a JSON schema in `response_format`, so callers can skip
    /// spelling the schema out in the prompt.
    var supportsJSONSchema: Bool { get }

    /// Sends one request and waits for the whole answer.
    ///
    /// - Parameters:
    ///   - request: The conversation and settings.
    ///   - progress: Called as text arrives (from any thread), for progress lines.
    /// - Returns: The complete answer with its token usage.
    /// - Throws: ``ForgeCore/ForgeError`` (`.providerUnreachable`, `.providerFailed`,
    ///   `.replayMismatch`) or `CancellationError`.
    func complete(_ request: ChatRequest, progress: (@Sendable (ChatProgress) -> Void)?) async throws -> ChatResponse
}

extension ChatModel {
    /// Sends one request without progress updates.
    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        try await complete(request, progress: nil)
    }

    /// `provider/model`, the value of the `Forge-Model:` trailer.
    public var trailerValue: String { "\(providerName)/\(modelName)" }
}
