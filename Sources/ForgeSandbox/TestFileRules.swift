import ForgeCore
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
    /// Markers that skip or excuse tests (`pytest.skip`, `@pytest.mark.xfail`): a fix that adds one
    /// is rejected, because a skipped test is not a passing one.
    public var skipPatterns: [String]
    /// Paths a fix may not create or change (test configuration such as `conftest.py`).
    public var protectedFiles: [String]
    /// A file that, written into the workspace, turns every function of the modules under test into
    /// a stub (`{modules}`: the import names, as a list literal). Tests that still pass check nothing.
    public var stubFile: String?
    public var stubContent: String?
    /// How forge writes the spec's own examples as a test file: the file, its header (`{imports}`:
    /// one `examplesImport` line per module), and one case per example (`{n}`, `{call}`,
    /// `{expected}`), with a variant for numeric results compared approximately.
    public var examplesFile: String?
    public var examplesHeader: String?
    public var examplesImport: String?
    public var exampleCase: String?
    public var exampleCaseApproximate: String?
    /// Mechanical repairs forge applies to a generated test file before locking it, line by line
    /// (no tokens, no repair round): `assert mean([1.1, 2.2]) == 1.65` fails on rounding however
    /// right the code is, and a locked wrong test makes every later fix chase it.
    public var rewrites: [Rewrite]
    /// Mechanical repairs forge applies to a generated *source* file before checking it for test
    /// code, over the whole text (a pattern may span lines): a module-level `assert f(3) == 7` the
    /// model appended as its own example check. Removed, the function is untouched; kept, a wrong
    /// one fails the import and every test with it, and a 1.5B model asked to remove it mostly
    /// answers the same file again, so the answer was lost.
    public var sourceRewrites: [Rewrite]
    /// What a function left without a body looks like in a generated source file, over the whole
    /// text (group 1: its name): the spec's stub, docstring and all, copied back as the answer. It
    /// returns nothing, so it fails every test, and committed as the developer's code it cost a bench
    /// run its first code; it goes back to the model like test code does.
    public var sourceStubPatterns: [String]
    /// What a test file that does not even parse looks like in its run's report (`SyntaxError`): a
    /// cut-off answer from the model. Locked, it would fail every run whatever the fixes do.
    public var parseErrorPattern: String?
    /// A program that runs several versions of one module on the same inputs and prints what each
    /// returned, as one JSON line (`probeFile` holds `probeContent`; `probeCommand` runs it, with
    /// `{interpreter}`). forge compares versions drawn independently by how they behave: where the
    /// model's own tests are silent or wrong, agreement among answers is the evidence left.
    public var probeFile: String?
    public var probeContent: String?
    public var probeCommand: [String]?

    public struct Rewrite: Sendable, Equatable, Codable {
        /// Matched per line; `replacement` is its template (`$1`…). An import the replacement needs
        /// comes from a usage requirement's `add_line`.
        public var pattern: String
        public var replacement: String
        public init(pattern: String, replacement: String) {
            self.pattern = pattern
            self.replacement = replacement
        }
    }

    public struct UsageRequirement: Sendable, Equatable, Codable {
        public var uses: String
        public var needs: String
        public var message: String
        /// When set, forge adds this line on top itself instead of asking the model (`import pytest`).
        public var addLine: String?
        public init(uses: String, needs: String, message: String, addLine: String? = nil) {
            self.uses = uses
            self.needs = needs
            self.message = message
            self.addLine = addLine
        }
        enum CodingKeys: String, CodingKey {
            case uses, needs, message, addLine = "add_line"
        }
    }

    public init(importPatterns: [String], definitionPattern: String? = nil, importExample: String? = nil,
                sourceForbiddenPatterns: [String] = [], usageRequirements: [UsageRequirement] = [],
                skipPatterns: [String] = [], protectedFiles: [String] = [], stubFile: String? = nil, stubContent: String? = nil,
                examplesFile: String? = nil, examplesHeader: String? = nil, examplesImport: String? = nil,
                exampleCase: String? = nil, exampleCaseApproximate: String? = nil, rewrites: [Rewrite] = [],
                sourceRewrites: [Rewrite] = [], sourceStubPatterns: [String] = [], parseErrorPattern: String? = nil, probeFile: String? = nil, probeContent: String? = nil,
                probeCommand: [String]? = nil) {
        self.importPatterns = importPatterns
        self.definitionPattern = definitionPattern
        self.importExample = importExample
        self.sourceForbiddenPatterns = sourceForbiddenPatterns
        self.usageRequirements = usageRequirements
        self.skipPatterns = skipPatterns
        self.protectedFiles = protectedFiles
        self.stubFile = stubFile
        self.stubContent = stubContent
        self.examplesFile = examplesFile
        self.examplesHeader = examplesHeader
        self.examplesImport = examplesImport
        self.exampleCase = exampleCase
        self.exampleCaseApproximate = exampleCaseApproximate
        self.rewrites = rewrites
        self.sourceRewrites = sourceRewrites
        self.sourceStubPatterns = sourceStubPatterns
        self.parseErrorPattern = parseErrorPattern
        self.probeFile = probeFile
        self.probeContent = probeContent
        self.probeCommand = probeCommand
    }

    enum CodingKeys: String, CodingKey {
        case importPatterns = "import_patterns", definitionPattern = "definition_pattern", importExample = "import_example"
        case sourceForbiddenPatterns = "source_forbidden_patterns", usageRequirements = "usage_requirements"
        case skipPatterns = "skip_patterns", protectedFiles = "protected_files", stubFile = "stub_file", stubContent = "stub_content"
        case examplesFile = "examples_file", examplesHeader = "examples_header", examplesImport = "examples_import"
        case exampleCase = "example_case", exampleCaseApproximate = "example_case_approximate", rewrites
        case sourceRewrites = "source_rewrites", sourceStubPatterns = "source_stub_patterns", parseErrorPattern = "parse_error_pattern"
        case probeFile = "probe_file", probeContent = "probe_content", probeCommand = "probe_command"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        importPatterns = try container.decodeIfPresent([String].self, forKey: .importPatterns) ?? []
        definitionPattern = try container.decodeIfPresent(String.self, forKey: .definitionPattern)
        importExample = try container.decodeIfPresent(String.self, forKey: .importExample)
        sourceForbiddenPatterns = try container.decodeIfPresent([String].self, forKey: .sourceForbiddenPatterns) ?? []
        usageRequirements = try container.decodeIfPresent([UsageRequirement].self, forKey: .usageRequirements) ?? []
        skipPatterns = try container.decodeIfPresent([String].self, forKey: .skipPatterns) ?? []
        protectedFiles = try container.decodeIfPresent([String].self, forKey: .protectedFiles) ?? []
        stubFile = try container.decodeIfPresent(String.self, forKey: .stubFile)
        stubContent = try container.decodeIfPresent(String.self, forKey: .stubContent)
        examplesFile = try container.decodeIfPresent(String.self, forKey: .examplesFile)
        examplesHeader = try container.decodeIfPresent(String.self, forKey: .examplesHeader)
        examplesImport = try container.decodeIfPresent(String.self, forKey: .examplesImport)
        exampleCase = try container.decodeIfPresent(String.self, forKey: .exampleCase)
        exampleCaseApproximate = try container.decodeIfPresent(String.self, forKey: .exampleCaseApproximate)
        rewrites = try container.decodeIfPresent([Rewrite].self, forKey: .rewrites) ?? []
        sourceRewrites = try container.decodeIfPresent([Rewrite].self, forKey: .sourceRewrites) ?? []
        sourceStubPatterns = try container.decodeIfPresent([String].self, forKey: .sourceStubPatterns) ?? []
        parseErrorPattern = try container.decodeIfPresent(String.self, forKey: .parseErrorPattern)
        probeFile = try container.decodeIfPresent(String.self, forKey: .probeFile)
        probeContent = try container.decodeIfPresent(String.self, forKey: .probeContent)
        probeCommand = try container.decodeIfPresent([String].self, forKey: .probeCommand)
    }

    /// `content` with every rewrite applied, then the `add_line` of each usage requirement it breaks
    /// put on top (the rewrites' own imports come that way too).
    public func rewritten(_ content: String) -> String {
        var result = content
        for rewrite in rewrites {
            guard let regex = try? NSRegularExpression(pattern: rewrite.pattern, options: [.anchorsMatchLines]) else { continue }
            result = regex.stringByReplacingMatches(in: result, range: NSRange(result.startIndex..., in: result),
                                                    withTemplate: rewrite.replacement)
        }
        var needed: [String] = []
        for requirement in usageRequirements where Self.matches(requirement.uses, result) && !Self.matches(requirement.needs, result) {
            if let line = requirement.addLine, !needed.contains(line) { needed.append(line) }
        }
        return needed.isEmpty ? result : needed.joined(separator: "\n") + "\n" + result
    }

    /// `content`, a generated source file, with every source rewrite applied (test code the model
    /// appended, taken out mechanically). What is left is still checked by ``sourceViolations(in:)``.
    public func sourceRewritten(_ content: String) -> String {
        var result = content
        for rewrite in sourceRewrites {
            guard let regex = try? NSRegularExpression(pattern: rewrite.pattern, options: [.anchorsMatchLines]) else { continue }
            result = regex.stringByReplacingMatches(in: result, range: NSRange(result.startIndex..., in: result),
                                                    withTemplate: rewrite.replacement)
        }
        return result
    }

    /// The test file for `examples` (call, expected) against `modules`, or nil when the profile
    /// cannot write one or there are no examples.
    public func examplesTestFile(_ examples: [(call: String, expected: String)], modules: [String]) -> (path: String, content: String)? {
        guard let examplesFile, let exampleCase, !examples.isEmpty else { return nil }
        let imports = modules.map { (examplesImport ?? "").replacingOccurrences(of: "{module}", with: $0) }.joined(separator: "\n")
        var content = (examplesHeader ?? "").replacingOccurrences(of: "{imports}", with: imports)
        for (number, example) in examples.enumerated() {
            let template = Self.isNumeric(example.expected) ? (exampleCaseApproximate ?? exampleCase) : exampleCase
            content += template.replacingOccurrences(of: "{n}", with: String(number + 1))
                .replacingOccurrences(of: "{call}", with: example.call)
                .replacingOccurrences(of: "{expected}", with: example.expected)
        }
        return (examplesFile, content)
    }

    /// A number with a fraction or exponent, or a list/tuple of numbers with one: compared approximately.
    static func isNumeric(_ value: String) -> Bool {
        let number = #"-?\d+(\.\d+)?([eE][-+]?\d+)?"#
        let pattern = "^[\\[(]?\\s*\(number)(\\s*,\\s*\(number))*\\s*,?\\s*[\\])]?$"
        guard value.range(of: pattern, options: .regularExpression) != nil else { return false }
        return value.contains(".") || value.lowercased().contains("e")
    }

    /// The parse error `report` shows for the test file at `testPath`, as its diagnostic line, or nil.
    /// Only errors that name the test file count: a syntax error in the code under test is the code's.
    public func parseError(in report: TestReport, testPath: String) -> String? {
        guard let parseErrorPattern,
              let regex = try? NSRegularExpression(pattern: parseErrorPattern, options: [.anchorsMatchLines]) else { return nil }
        let fileName = (testPath as NSString).lastPathComponent
        for testCase in report.cases where testCase.outcome == .error {
            let text = [testCase.message, testCase.details].compactMap { $0 }.joined(separator: "\n")
            guard text.contains(fileName + "\", line"),
                  let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                  let range = Range(match.range, in: text) else { continue }
            return text[text.lineRange(for: range)].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return nil
    }

    /// The first skip or excuse marker in `content`, as written.
    public func skipMarker(in content: String) -> String? {
        for pattern in skipPatterns {
            guard let regex = try? NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines]),
                  let match = regex.firstMatch(in: content, range: NSRange(content.startIndex..., in: content)),
                  let range = Range(match.range, in: content) else { continue }
            return String(content[range])
        }
        return nil
    }

    /// Whether a fix may not touch `path`.
    public func isProtected(_ path: String) -> Bool {
        protectedFiles.contains { Self.matches($0, path) }
    }

    /// The stub file for modules imported as `modules`, or nil when the profile has none.
    public func stubs(forModules modules: [String]) -> (path: String, content: String)? {
        guard let stubFile, let stubContent else { return nil }
        let list = "[" + modules.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        return (stubFile, stubContent.replacingOccurrences(of: "{modules}", with: list))
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

    /// What to tell the model about the functions a generated source file leaves without a body
    /// (``stubFunctions(in:)``), or nothing.
    public func stubViolations(in content: String) -> [String] {
        let stubs = stubFunctions(in: content)
        guard !stubs.isEmpty else { return [] }
        let names = stubs.map { "`\($0)`" }.joined(separator: ", ")
        return ["\(names) \(stubs.count == 1 ? "has" : "have") no body (only a docstring, `pass` or `...`): write the implementation, not the stub"]
    }

    /// The names of the functions `content` leaves without a body, by ``sourceStubPatterns``.
    public func stubFunctions(in content: String) -> [String] {
        var names: [String] = []
        for pattern in sourceStubPatterns {
            guard let regex = try? NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines]) else { continue }
            for match in regex.matches(in: content, range: NSRange(content.startIndex..., in: content)) {
                let range = match.numberOfRanges > 1 ? match.range(at: 1) : match.range
                guard let found = Range(range, in: content) else { continue }
                let name = String(content[found]).trimmingCharacters(in: .whitespacesAndNewlines)
                if !names.contains(name) { names.append(name) }
            }
        }
        return names
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
            + usageRequirements.flatMap { [$0.uses, $0.needs] } + skipPatterns + protectedFiles
            + rewrites.map(\.pattern) + sourceRewrites.map(\.pattern) + sourceStubPatterns + [parseErrorPattern].compactMap { $0 }
        return filled.first { (try? NSRegularExpression(pattern: $0, options: [.anchorsMatchLines])) == nil }
    }

    private static func matches(_ pattern: String, _ text: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines]) else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
