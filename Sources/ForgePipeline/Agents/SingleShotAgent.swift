import ForgeCore
import ForgePrompts

/// One developer call from the spec alone: the baseline `forge bench` measures the pipeline against,
/// and the fix loop's fresh start when the first code fails the spec's own examples.
struct SingleShotAgent {
    let template: PromptTemplate
    let language: String
    let renderer = PromptRenderer()

    /// - Parameters:
    ///   - repair: mechanical repairs applied to the answer first (the fix loop's source rewrites;
    ///     the bench's single-shot baseline takes the answer as it is).
    ///   - check: problems with an answer (for the fix loop's integrity rules); each gets one repair request.
    func write(spec: String, path: String, conversation: StageConversation, repair: (String) -> String = { $0 },
               check: (String) async throws -> [String] = { _ in [] }) async throws -> String {
        let prompt = try renderer.render(template, context: [
            "spec": .string(spec), "language": .string(language), "path": .string(path),
        ])
        return try await conversation.askCode(prompt, path: path, language: language, maxTokens: 1500, check: check, repair: repair)
    }
}
