import Foundation
import ForgeCore
import ForgeLLM
import ForgePrompts

/// One stage's exchange with the model: ask, check the answer, and when it is unusable send exactly
/// one repair request that quotes the problem; then give up with a stage failure that says why.
///
/// A silent empty artifact is never returned: an answer either passes the checks or the run stops.
struct StageConversation {
    let model: any ChatModel
    let stage: Stage
    /// Purpose label for the request (`pm`, `fix-2`, …): logs, replay errors, cassette entries.
    let purpose: String
    var seed: Int? = 7
    /// 0 for first attempts (reproducible); the fix loop raises it on repeats so the model stops
    /// answering an unchanged prompt with the same unchanged file.
    var temperature: Double = 0

    /// Asks for a JSON object matching `schema`.
    ///
    /// The schema goes to the provider as a constraint when it supports one; otherwise the template's
    /// own description of the keys has to do, and fenced or prose-wrapped answers are accepted.
    /// - Throws: ``ForgeError`` `.stageFailed` when the answer is still unusable after one repair.
    func askJSON(_ prompt: RenderedPrompt, schema: OutputSchema, maxTokens: Int,
                 check: (JSONValue) -> [String] = { _ in [] }) async throws -> JSONValue {
        var messages = [ChatMessage(.system, prompt.system), ChatMessage(.user, prompt.user)]
        let constraint = model.supportsJSONSchema ? schema.json : nil
        var problem = ""
        for attempt in 0 ... 1 {
            let request = ChatRequest(purpose: attempt == 0 ? purpose : "\(purpose)-repair", messages: messages,
                                      temperature: temperature, maxTokens: maxTokens, seed: seed, jsonSchema: constraint)
            let answer = try await model.complete(request).content
            switch OutputExtractor.json(from: answer) {
            case .success(let value):
                let violations = schema.violations(of: value)
                let problems = violations.isEmpty ? check(value) : []
                if violations.isEmpty && problems.isEmpty { return value }
                problem = violations.isEmpty ? problems.joined(separator: "; ")
                    : "the JSON does not match the \(schema.name) schema: " + violations.prefix(5).joined(separator: "; ")
            case .failure(let failure):
                problem = failure.reason
            }
            messages += [
                ChatMessage(.assistant, answer),
                ChatMessage(.user, """
                    Your answer could not be used: \(problem).
                    Reply with only one JSON object with the keys \(schema.requiredKeys.joined(separator: ", ")). No prose, no code fences.
                    """),
            ]
        }
        throw ForgeError(
            .stageFailed,
            "the \(stage.title) stage failed: the model's answer was unusable after one repair request (\(problem))",
            hint: "a larger model usually fixes this: pass --provider/--model, or see the exchange in the cassette with --record")
    }

    /// Asks for the contents of one file: a fenced block with the whole file, or — when `current` is
    /// given — search/replace blocks applied exactly to it.
    ///
    /// - Parameters:
    ///   - current: the file as it is; nil when the file is new (whole files only).
    ///   - check: problems that make the result unusable (a test file that never imports its
    ///     module, a skip marker, tests that pass against stubs); they are quoted in the repair request.
    ///   - repair: mechanical repairs applied to every answer before it is checked (they cost no
    ///     tokens and cannot fail: a missing `import pytest`, floats compared exactly).
    /// - Throws: ``ForgeError`` `.stageFailed` when the answer is still unusable after one repair.
    func askCode(_ prompt: RenderedPrompt, path: String, language: String, maxTokens: Int, current: String? = nil,
                 check: (String) async throws -> [String] = { _ in [] },
                 repair: (String) -> String = { $0 }) async throws -> String {
        var messages = [ChatMessage(.system, prompt.system), ChatMessage(.user, prompt.user)]
        var problem = ""
        for attempt in 0 ... 1 {
            let request = ChatRequest(purpose: attempt == 0 ? purpose : "\(purpose)-repair", messages: messages,
                                      temperature: temperature, maxTokens: maxTokens, seed: seed)
            let answer = try await model.complete(request).content
            switch Self.code(in: answer, path: path, language: language, current: current) {
            case .success(let answered):
                let code = repair(answered)
                let problems = try await check(code)
                if problems.isEmpty { return code }
                problem = problems.joined(separator: "; ")
            case .failure(let failure):
                problem = failure.reason
            }
            messages += [ChatMessage(.assistant, answer), ChatMessage(.user, """
                Your answer for \(path) cannot be used: \(problem). Reply again with the complete corrected contents of \(path) in one ```\(language) fenced block.
                """)]
        }
        throw ForgeError(
            .stageFailed,
            "the \(stage.title) stage failed: \(path) was unusable after one repair request (\(problem))",
            hint: "a larger model usually fixes this: pass --provider/--model")
    }

    /// The file an answer gives: search/replace blocks applied to `current`, else the fenced code.
    static func code(in answer: String, path: String, language: String, current: String?) -> Result<String, ExtractionFailure> {
        if let current, let edit = SearchReplaceEdit.parse(answer) {
            return edit.apply(to: current, path: path)
        }
        guard let code = OutputExtractor.code(from: answer, path: path, language: language) else {
            return .failure(ExtractionFailure("the answer had no code block"))
        }
        // A half-formed search/replace answer must not be taken for the file it was meant to edit.
        let markers = ["<<<<<<< SEARCH", "=======", ">>>>>>> REPLACE"]
        if code.split(separator: "\n").contains(where: { line in markers.contains { line.trimmingCharacters(in: .whitespaces).hasPrefix($0) } }) {
            return .failure(ExtractionFailure("the code contains search/replace markers without a complete block; send either the whole file or complete blocks (file name, <<<<<<< SEARCH, =======, >>>>>>> REPLACE)"))
        }
        return .success(code)
    }
}
