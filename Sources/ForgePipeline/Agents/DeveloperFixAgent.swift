import ForgeCore
import ForgePrompts
import ForgeSandbox

/// The developer in the fix loop: rewrites one file following the analyst's diagnosis, seeing the
/// failing tests (read-only: they are locked) and the file's current contents.
struct DeveloperFixAgent {
    let template: PromptTemplate
    let language: String
    /// The profile's rules; source files must not carry test code.
    var rules: TestFileRules?
    let renderer = PromptRenderer()

    func fix(path: String, files: FileSet, diagnosis: Diagnosis, report: TestReport, prd: PRD, design: Design,
             testPaths: [String], attempts: [FixAttempt], conversation: StageConversation) async throws -> String {
        let failures: [PromptValue] = report.failures.prefix(8).map { failure in
            var entry: [String: PromptValue] = ["name": .string(failure.name), "message": .string(failure.message ?? "")]
            if let evidence = FailureEvidence.sentence(for: failure) { entry["evidence"] = .string(evidence) }
            return .object(entry)
        }
        let prompt = try renderer.render(template, context: [
            "prd": prd.promptValue,
            "design": design.promptValue,
            "diagnosis": diagnosis.promptValue,
            "language": .string(language),
            "path": .string(path),
            "current": .string(files.text(path) ?? ""),
            "failures": .list(failures),
            "tests": files.promptList(testPaths),
            "attempts": .list(attempts.map(\.promptValue)),
            "has_attempts": .bool(!attempts.isEmpty),
        ])
        return try await conversation.askCode(prompt, path: path, language: language, maxTokens: 1500) { code in
            rules?.sourceViolations(in: code) ?? []
        }
    }
}
