import Foundation
import ForgeCore
import ForgePrompts

/// The analyst: reads a failed test run and the code, and says what fails, why, and what to change.
struct AnalystAgent {
    let template: PromptTemplate
    let renderer = PromptRenderer()
    /// Caps on what a failure contributes to the prompt, so a huge traceback cannot crowd out the code.
    static let detailLimit = 1500
    static let outputLimit = 2000

    func diagnose(report: TestReport, prd: PRD, design: Design, files: FileSet, sourcePaths: [String],
                  testPaths: [String], attempts: [FixAttempt], rewriting: Bool = false,
                  conversation: StageConversation) async throws -> Diagnosis {
        let failures: [PromptValue] = report.failures.prefix(8).map { failure in
            var entry: [String: PromptValue] = [
                "name": .string(failure.name),
                "message": .string(failure.message ?? ""),
                "details": .string(String((failure.details ?? "").suffix(Self.detailLimit))),
            ]
            if let evidence = FailureEvidence.sentence(for: failure) { entry["evidence"] = .string(evidence) }
            return .object(entry)
        }
        var context: PromptContext = [
            "prd": prd.promptValue,
            "design": design.promptValue,
            "summary": .string(report.summary),
            "failures": .list(failures),
            "sources": files.promptList(sourcePaths),
            "tests": files.promptList(testPaths),
            "attempts": .list(attempts.map(\.promptValue)),
            "has_attempts": .bool(!attempts.isEmpty),
            "rewriting": .bool(rewriting),
        ]
        // With no per-test failures (collection error, timeout) the raw output is the only evidence.
        if report.failures.isEmpty {
            context["output"] = .string(String(report.output.suffix(Self.outputLimit)))
        }
        let prompt = try renderer.render(template, context: context)
        let value = try await conversation.askJSON(prompt, schema: Diagnosis.schema, maxTokens: 600)
        var diagnosis = try value.decode(as: Diagnosis.self, stage: .analyst)
        diagnosis.filesToChange = Self.normaliseFiles(diagnosis.filesToChange, sourcePaths: sourcePaths)
        return diagnosis
    }

    /// Keeps only the run's own source files (tests are locked); when the analyst names none, every
    /// source file is open to the fix so the loop never stalls on an empty list.
    static func normaliseFiles(_ named: [String], sourcePaths: [String]) -> [String] {
        let chosen = sourcePaths.filter { path in
            named.contains { candidate in
                let clean = candidate.trimmingCharacters(in: .whitespaces)
                return clean == path || clean.hasSuffix("/" + path) || path.hasSuffix("/" + clean)
            }
        }
        return chosen.isEmpty ? sourcePaths : chosen
    }
}
