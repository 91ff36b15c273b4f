import ForgeCore
import ForgePrompts
import ForgeSandbox
import ForgeStore
import Foundation

/// The architect: turns the PRD into a design — which source files to write, what each exposes.
///
/// The design is then held to what the pipeline can honour: paths must be safe and relative, only
/// source files of the run's language are kept (tests belong to the test writer), and files the spec
/// names by name are always part of it.
struct ArchitectAgent {
    let template: PromptTemplate
    let profile: SandboxProfile
    let renderer = PromptRenderer()
    static let maxFiles = 6

    /// - Parameter example: a remembered solution to a similar spec, shown as a worked example.
    func writeDesign(spec: String, prd: PRD, example: SolvedSpec? = nil, conversation: StageConversation) async throws -> Design {
        var context: PromptContext = [
            "spec": .string(spec),
            "prd": prd.promptValue,
            "language": .string(profile.name),
            "extension": .string(profile.sourceExtension),
        ]
        if let example { context["example"] = .object(["spec": .string(example.spec), "design": .string(example.design)]) }
        let prompt = try renderer.render(template, context: context)
        let value = try await conversation.askJSON(prompt, schema: Design.schema, maxTokens: 700)
        let proposed = try value.decode(as: Design.self, stage: .architect)
        return try normalise(proposed, spec: spec)
    }

    /// The design with unsafe, non-source and test paths removed and spec-named files added.
    func normalise(_ design: Design, spec: String) throws -> Design {
        var files: [Design.File] = []
        var seen = Set<String>()
        func add(_ path: String, _ purpose: String) {
            guard let clean = try? FileSet.validate(path: path), isSource(clean), !seen.contains(clean) else { return }
            seen.insert(clean)
            files.append(Design.File(path: clean, purpose: purpose))
        }
        for named in Self.filesNamed(in: spec, sourceExtension: profile.sourceExtension) { add(named, design.files.first { $0.path == named }?.purpose ?? "named in the spec") }
        for file in design.files { add(file.path, file.purpose) }
        guard !files.isEmpty else {
            throw ForgeError(
                .stageFailed,
                "the architect stage proposed no \(profile.name) source files (proposed: \(design.files.map(\.path).joined(separator: ", ")))",
                hint: "name the module in the spec, e.g. 'a Python module textstats.py with …'")
        }
        var result = design
        result.language = profile.name
        result.files = Array(files.prefix(Self.maxFiles))
        return result
    }

    private func isSource(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard name.hasSuffix(".\(profile.sourceExtension)") else { return false }
        let stem = String(name.dropLast(profile.sourceExtension.count + 1))
        let looksLikeTest = stem.hasPrefix("test_") || stem.hasSuffix("_test") || stem == "conftest"
            || path.split(separator: "/").dropLast().contains { $0 == "tests" || $0 == "test" }
        return !looksLikeTest
    }

    /// Paths like `textstats.py` or `pkg/util.py` that the spec mentions.
    static func filesNamed(in spec: String, sourceExtension: String) -> [String] {
        let pattern = "[A-Za-z0-9_][A-Za-z0-9_./-]*\\.\(NSRegularExpression.escapedPattern(for: sourceExtension))\\b"
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(spec.startIndex..., in: spec)
        return regex.matches(in: spec, range: range).compactMap { Range($0.range, in: spec).map { String(spec[$0]) } }
    }
}
