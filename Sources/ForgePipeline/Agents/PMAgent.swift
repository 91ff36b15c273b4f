import Foundation
import ForgeCore
import ForgePrompts

/// The product manager: turns the user's spec into a PRD with testable acceptance criteria.
struct PMAgent {
    let template: PromptTemplate
    let renderer = PromptRenderer()

    func writePRD(spec: String, language: String, conversation: StageConversation) async throws -> PRD {
        let prompt = try renderer.render(template, context: ["spec": .string(spec), "language": .string(language)])
        let value = try await conversation.askJSON(prompt, schema: PRD.schema, maxTokens: 900)
        var prd = try value.decode(as: PRD.self, stage: .pm)
        prd.acceptanceCriteria = prd.acceptanceCriteria.map(\.trimmed).filter { !$0.isEmpty }
        guard !prd.acceptanceCriteria.isEmpty else {
            throw ForgeError(.stageFailed, "the product manager stage produced a PRD without acceptance criteria",
                             hint: "make the spec more concrete (inputs, outputs, examples)")
        }
        return prd
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
