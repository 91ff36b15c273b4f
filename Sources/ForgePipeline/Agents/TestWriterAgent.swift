import Foundation
import ForgeCore
import ForgePrompts
import ForgeSandbox

/// The test writer: derives a test file for each source module from the PRD's acceptance criteria
/// and the design's interfaces — never from the code, so the tests say what was asked, not what was
/// written.
struct TestWriterAgent {
    let template: PromptTemplate
    let profile: SandboxProfile
    let renderer = PromptRenderer()

    /// Where the tests for `sourcePath` go: the profile's pattern (`test_{stem}.py`) at the root.
    func testPath(for sourcePath: String) -> String {
        let name = sourcePath.split(separator: "/").last.map(String.init) ?? sourcePath
        let stem = name.hasSuffix(".\(profile.sourceExtension)") ? String(name.dropLast(profile.sourceExtension.count + 1)) : name
        return profile.testFilePattern.replacingOccurrences(of: "{stem}", with: stem)
    }

    /// The name tests import the module by (`pkg/util.py` → `pkg.util`).
    func importName(for sourcePath: String) -> String {
        Self.importName(for: sourcePath, sourceExtension: profile.sourceExtension)
    }

    static func importName(for sourcePath: String, sourceExtension: String) -> String {
        var path = sourcePath
        if path.hasSuffix(".\(sourceExtension)") { path.removeLast(sourceExtension.count + 1) }
        return path.replacingOccurrences(of: "/", with: ".")
    }

    /// - Parameter vacuous: runs a candidate test file against stubs of the code and names the tests
    ///   that pass anyway (they check nothing); called before the tests are locked.
    func writeTests(for file: Design.File, spec: String, prd: PRD, design: Design, conversation: StageConversation,
                    vacuous: (String, String) async throws -> [String] = { _, _ in [] }) async throws -> (path: String, content: String) {
        let path = testPath(for: file.path)
        let module = importName(for: file.path)
        let names = Self.publicNames(in: design.interfaces)
        let importLine = (profile.testRules?.importExample ?? "").replacingOccurrences(of: "{module}", with: module)
            .replacingOccurrences(of: "{names}", with: names.isEmpty ? "..." : names.joined(separator: ", "))
        let prompt = try renderer.render(template, context: [
            "import_line": .string(importLine),
            "spec": .string(spec),
            "prd": prd.promptValue,
            "design": design.promptValue,
            "language": .string(profile.name),
            "module_path": .string(file.path),
            "module_name": .string(importName(for: file.path)),
            "purpose": .string(file.purpose),
            "test_path": .string(path),
        ])
        let examples = AcceptanceExamples(spec: SpecExamples.parse(spec), criteria: prd.acceptanceCriteria)
        let rules = profile.testRules
        let code = try await conversation.askCode(prompt, path: path, language: profile.name, maxTokens: 1500, check: { code in
            let problems = (rules?.violations(in: code, module: module, names: names) ?? []) + examples.contradictions(in: code)
                + (rules?.skipMarker(in: code).map { ["the tests use `\($0)`: forge counts only tests that run and pass"] } ?? [])
            // The sandbox run against stubs only makes sense once the file is otherwise sound.
            return problems.isEmpty ? try await vacuous(path, code) : problems
        }, repair: { rules?.rewritten($0) ?? $0 })
        return (path, code)
    }

    /// The names the design makes public: `word_count(text: str) -> int` → `word_count`,
    /// `class Stack` → `Stack`, `Stack.push(x)` → `Stack`.
    static func publicNames(in interfaces: [String]) -> [String] {
        var names: [String] = []
        for interface in interfaces {
            var text = Substring(interface.trimmingCharacters(in: .whitespaces))
            for keyword in ["async def ", "def ", "class ", "function ", "func ", "fn "] where text.hasPrefix(keyword) {
                text = text.dropFirst(keyword.count)
            }
            let name = String(text.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
            if !name.isEmpty, !names.contains(name) { names.append(name) }
        }
        return names
    }
}
