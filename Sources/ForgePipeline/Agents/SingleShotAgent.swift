import ForgeCore
import ForgePrompts

/// The baseline `forge bench` measures the pipeline against: one developer call from the spec alone.
struct SingleShotAgent {
    let template: PromptTemplate
    let language: String
    let renderer = PromptRenderer()

    func write(spec: String, path: String, conversation: StageConversation) async throws -> String {
        let prompt = try renderer.render(template, context: [
            "spec": .string(spec), "language": .string(language), "path": .string(path),
        ])
        return try await conversation.askCode(prompt, path: path, language: language, maxTokens: 1500)
    }
}
