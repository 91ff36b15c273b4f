import ForgeCore
import ForgePrompts
import ForgeSandbox

/// The developer in the fix loop: changes one file following the analyst's diagnosis, seeing the
/// failing tests and the file's current contents. The answer is the whole file or search/replace
/// blocks on it; `repair` (mechanical, no tokens) runs first, then `check` (the fix's integrity
/// rules) decides whether it can be used.
struct DeveloperFixAgent {
    let template: PromptTemplate
    let language: String
    let renderer = PromptRenderer()

    /// - Parameters:
    ///   - rewriting: the loop is stuck on the same failure; ask for the file rewritten whole, differently.
    ///   - unlockReason: set when `path` is a locked test the analyst reopened, and why.
    func fix(path: String, files: FileSet, diagnosis: Diagnosis, report: TestReport, prd: PRD, design: Design,
             testPaths: [String], attempts: [FixAttempt], rewriting: Bool = false, unlockReason: String? = nil,
             conversation: StageConversation, repair: (String) -> String = { $0 },
             check: (String) async throws -> [String] = { _ in [] }) async throws -> String {
        let failures: [PromptValue] = report.failures.prefix(8).map { failure in
            var entry: [String: PromptValue] = ["name": .string(failure.name), "message": .string(failure.message ?? "")]
            if let evidence = FailureEvidence.sentence(for: failure) { entry["evidence"] = .string(evidence) }
            return .object(entry)
        }
        var context: PromptContext = [
            "prd": prd.promptValue,
            "design": design.promptValue,
            "diagnosis": diagnosis.promptValue,
            "language": .string(language),
            "path": .string(path),
            "current": .string(files.text(path) ?? ""),
            "failures": .list(failures),
            "tests": files.promptList(testPaths.filter { $0 != path }),
            "attempts": .list(attempts.map(\.promptValue)),
            "has_attempts": .bool(!attempts.isEmpty),
            "rewriting": .bool(rewriting),
        ]
        if let unlockReason { context["unlock_reason"] = .string(unlockReason) }
        let prompt = try renderer.render(template, context: context)
        return try await conversation.askCode(prompt, path: path, language: language, maxTokens: 1500,
                                              current: files.text(path), check: check, repair: repair)
    }
}
