import Foundation
import ForgeCore
import ForgePrompts
import ForgeStore

/// The product manager: turns the user's spec into a PRD with testable acceptance criteria.
struct PMAgent {
    let template: PromptTemplate
    let renderer = PromptRenderer()

    /// - Parameter example: a remembered solution to a similar spec, shown as a worked example.
    func writePRD(spec: String, language: String, example: SolvedSpec? = nil, conversation: StageConversation) async throws -> PRD {
        var context: PromptContext = ["spec": .string(spec), "language": .string(language)]
        if let example { context["example"] = .object(["spec": .string(example.spec), "prd": .string(example.prd)]) }
        let prompt = try renderer.render(template, context: context)
        let stated = SpecExamples.parse(spec)
        let value = try await conversation.askJSON(prompt, schema: PRD.schema, maxTokens: 900) { value in
            let criteria = (value["acceptance_criteria"]?.arrayValue ?? []).compactMap(\.stringValue)
            return AcceptanceExamples.criteriaContradicting(stated, criteria: criteria)
        }
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
