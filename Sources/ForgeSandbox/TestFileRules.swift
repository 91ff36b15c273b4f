import Foundation

/// What a generated test file must look like to be evidence about the code: it reaches the module
/// under test through an import, and it does not define the functions it tests itself (a model that
/// writes `def to_roman(n): pass` into the test file tests its own stub, and no fix can ever pass).
///
/// Patterns are regular expressions matched per line; `{module}` is the module's import name,
/// `{name}` one public name from the design.
public struct TestFileRules: Sendable, Equatable, Codable {
    public var importPatterns: [String]
    public var definitionPattern: String?
    /// How to write the import, for messages to the model: `from {module} import {names}`.
    public var importExample: String?
    /// Lines that mark test code, which has no place in a source file (a module that decorates
    /// with `@pytest…` without importing pytest fails on import, and every test with it).
    public var sourceForbiddenPatterns: [String]
    /// "A file that uses X must import X" (`pytest.raises` without `import pytest` fails every
    /// test that reaches it, and a locked test cannot be repaired later).
    public var usageRequirements: [UsageRequirement]

    public struct UsageRequirement: Sendable, Equatable, Codable {
        public var uses: String
        public var needs: String
        public var message: String
        public init(uses: String, needs: String, message: String) {
            self.uses = uses
            self.needs = needs
            self.message = message
        }
    }

    public init(importPatterns: [String], definitionPattern: String? = nil, importExample: String? = nil,
                sourceForbiddenPatterns: [String] = [], usageRequirements: [UsageRequirement] = []) {
        self.importPatterns = importPatterns
        self.definitionPattern = definitionPattern
        self.importExample = importExample
        self.sourceForbiddenPatterns = sourceForbiddenPatterns
        self.usageRequirements = usageRequirements
    }

    enum CodingKeys: String, CodingKey {
        case importPatterns = "import_patterns", definitionPattern = "definition_pattern", importExample = "import_example"
        case sourceForbiddenPatterns = "source_forbidden_patterns", usageRequirements = "usage_requirements"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        importPatterns = try container.decodeIfPresent([String].self, forKey: .importPatterns) ?? []
        definitionPattern = try container.decodeIfPresent(String.self, forKey: .definitionPattern)
        importExample = try container.decodeIfPresent(String.self, forKey: .importExample)
        sourceForbiddenPatterns = try container.decodeIfPresent([String].self, forKey: .sourceForbiddenPatterns) ?? []
        usageRequirements = try container.decodeIfPresent([UsageRequirement].self, forKey: .usageRequirements) ?? []
    }

    /// The ways a generated *source* file breaks the rules: test code inside it.
    public func sourceViolations(in content: String) -> [String] {
        let lines = sourceForbiddenPatterns.compactMap { pattern -> String? in
            guard let regex = try? NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines]),
                  let match = regex.firstMatch(in: content, range: NSRange(content.startIndex..., in: content)),
                  let range = Range(match.range, in: content) else { return nil }
            let lineRange = content.lineRange(for: range)
            return content[lineRange].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let first = lines.first else { return [] }
        return ["the source file contains test code (`\(first)`); tests go in a separate test file, so remove every test and test import"]
    }

    /// The ways `content` breaks the rules for a module imported as `module` exposing `names`.
    public func violations(in content: String, module: String, names: [String]) -> [String] {
        var problems: [String] = []
        let escapedModule = NSRegularExpression.escapedPattern(for: module)
        let imports = importPatterns.map { $0.replacingOccurrences(of: "{module}", with: escapedModule) }
        if !imports.isEmpty, !imports.contains(where: { Self.matches($0, content) }) {
            let example = (importExample ?? "").replacingOccurrences(of: "{module}", with: module)
                .replacingOccurrences(of: "{names}", with: names.isEmpty ? "..." : names.joined(separator: ", "))
            problems.append("the tests never import the module `\(module)`" + (example.isEmpty ? "" : "; start the file with `\(example)`"))
        }
        for requirement in usageRequirements where Self.matches(requirement.uses, content) && !Self.matches(requirement.needs, content) {
            problems.append(requirement.message)
        }
        if let definitionPattern {
            for name in names {
                let pattern = definitionPattern.replacingOccurrences(of: "{name}", with: NSRegularExpression.escapedPattern(for: name))
                if Self.matches(pattern, content) {
                    problems.append("the tests define `\(name)` themselves instead of importing it from `\(module)`; remove that definition")
                }
            }
        }
        return problems
    }

    /// Checks that every pattern compiles (with placeholders filled in), for profile validation.
    func firstInvalidPattern() -> String? {
        let filled = importPatterns.map { $0.replacingOccurrences(of: "{module}", with: "m") }
            + [definitionPattern?.replacingOccurrences(of: "{name}", with: "n")].compactMap { $0 } + sourceForbiddenPatterns
            + usageRequirements.flatMap { [$0.uses, $0.needs] }
        return filled.first { (try? NSRegularExpression(pattern: $0, options: [.anchorsMatchLines])) == nil }
    }

    private static func matches(_ pattern: String, _ text: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines]) else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
