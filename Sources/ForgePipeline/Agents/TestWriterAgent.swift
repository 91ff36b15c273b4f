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
        var path = sourcePath
        if path.hasSuffix(".\(profile.sourceExtension)") { path.removeLast(profile.sourceExtension.count + 1) }
        return path.replacingOccurrences(of: "/", with: ".")
    }

    func writeTests(for file: Design.File, spec: String, prd: PRD, design: Design,
                    conversation: StageConversation) async throws -> (path: String, content: String) {
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
        let examples = AcceptanceExamples(criteria: prd.acceptanceCriteria)
        let code = try await conversation.askCode(prompt, path: path, language: profile.name, maxTokens: 1500) { code in
            (profile.testRules?.violations(in: code, module: module, names: names) ?? []) + examples.contradictions(in: code)
        }
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
