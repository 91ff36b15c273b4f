import ForgeCore
import ForgePrompts
import ForgeSandbox

/// The developer: writes each file of the design, one model call per file.
///
/// One file per call keeps every answer to a single fenced block, which small local models produce
/// far more reliably than a multi-file format, and keeps each prompt short.
struct DeveloperAgent {
    let template: PromptTemplate
    let language: String
    /// The profile's rules; source files must not carry test code (what the source rewrites can
    /// take out is taken out, the rest goes back to the model), nor functions left as stubs.
    var rules: TestFileRules?
    let renderer = PromptRenderer()

    func writeFile(_ file: Design.File, spec: String, prd: PRD, design: Design,
                   conversation: StageConversation) async throws -> String {
        let prompt = try renderer.render(template, context: [
            "spec": .string(spec),
            "prd": prd.promptValue,
            "design": design.promptValue,
            "language": .string(language),
            "path": .string(file.path),
            "purpose": .string(file.purpose),
        ])
        var answers = 0
        return try await conversation.askCode(prompt, path: file.path, language: language, maxTokens: 1500, check: { code in
            answers += 1
            // A stub asked for once and answered again is committed rather than failing the run:
            // it fails every test, so the fix loop's fresh start still draws the file from the spec.
            return (rules?.sourceViolations(in: code) ?? []) + (answers == 1 ? rules?.stubViolations(in: code) ?? [] : [])
        }, repair: { rules?.sourceRewritten($0) ?? $0 })
    }
}
