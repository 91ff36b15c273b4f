import ForgeCore
import ForgePrompts
import Foundation

// How artifacts appear inside prompt templates. Kept in one place so every template sees the same
// names (`prd.acceptance_criteria`, `design.files`, …) that the JSON files use.

extension PRD {
    var promptValue: PromptValue {
        .object([
            "title": .string(title),
            "goals": .list(goals.map(PromptValue.string)),
            "user_stories": .list(userStories.map(PromptValue.string)),
            "acceptance_criteria": .list(acceptanceCriteria.map(PromptValue.string)),
            "out_of_scope": .list(outOfScope.map(PromptValue.string)),
        ])
    }
}

extension Design {
    var promptValue: PromptValue {
        .object([
            "language": .string(language),
            "files": .list(files.map { .object(["path": .string($0.path), "purpose": .string($0.purpose)]) }),
            "interfaces": .list(interfaces.map(PromptValue.string)),
            "notes": .string(notes),
        ])
    }
}

extension Diagnosis {
    var promptValue: PromptValue {
        .object([
            "failing_tests": .list(failingTests.map(PromptValue.string)),
            "root_cause": .string(rootCause),
            "files_to_change": .list(filesToChange.map(PromptValue.string)),
            "fix": .string(fix),
        ])
    }
}

extension FileSet {
    /// `[{path, content}]` for the given paths, in order, skipping absent or binary files.
    func promptList(_ paths: [String]) -> PromptValue {
        .list(paths.compactMap { path in
            text(path).map { .object(["path": .string(path), "content": .string($0)]) }
        })
    }
}

extension JSONValue {
    /// Decodes this value as `T` (an artifact whose schema it already matched).
    func decode<T: Decodable>(as type: T.Type, stage: Stage) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(canonicalText.utf8))
        } catch {
            throw ForgeError(.stageFailed, "the \(stage.title) stage produced JSON that forge could not read: \(error)")
        }
    }
}

extension Encodable {
    /// Pretty, key-sorted JSON for files committed under `.forge/`.
    var prettyJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) + "\n" } ?? "{}\n"
    }
}
