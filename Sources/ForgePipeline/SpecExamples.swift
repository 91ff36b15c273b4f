import Foundation

/// The examples the *user* stated in the spec — doctest lines (`>>> f(1)` then `2`), sentences
/// like "`f(1)` returns `2`", and the `Input:` / `Output:` pairs (and "For x = 1 the output should
/// be 2") that problem statements use under a function's signature. They are the strongest evidence
/// forge has: the PRD's examples and the model's tests may be invented (and wrong), these are not.
/// forge turns them into a test file of its own, checks the PRD and the tests against them, and
/// ranks code by them first.
enum SpecExamples {
    static func parse(_ spec: String) -> [AcceptanceExamples.Example] {
        var examples: [AcceptanceExamples.Example] = []
        let lines = spec.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if line.hasPrefix(">>> "), let example = sentenceExample(in: String(line.dropFirst(4))), example.call == line.dropFirst(4).prefix(example.call.count) {
                // A doctest that states its value on the same line: `>>> f(1) == 2`.
                examples.append(example)
            } else if line.hasPrefix(">>> ") {
                // A doctest: the call, then its output on the next line (one-line outputs only).
                let call = withoutComment(String(line.dropFirst(4)))
                let next = index + 1 < lines.count ? lines[index + 1] : ""
                if isCall(call), !next.isEmpty, !next.hasPrefix(">>>"), !next.hasPrefix("..."),
                   index + 2 >= lines.count || lines[index + 2].isEmpty || lines[index + 2].hasPrefix(">>>") || lines[index + 2].hasPrefix("\"\"\""),
                   AcceptanceExamples.looksLikeLiteral(next) {
                    examples.append(.init(call: call, expected: next))
                }
            } else if let example = sentenceExample(in: line) {
                examples.append(example)
            } else if let example = statedCase(at: index, in: lines) {
                examples.append(example)
            }
            index += 1
        }
        var seen = Set<String>()
        return examples.filter { seen.insert(AcceptanceExamples.normalise($0.call)).inserted }
    }

    /// "… `f(1)` returns `2` …" anywhere in a line: the example starting at the first word that makes one.
    private static func sentenceExample(in line: String) -> AcceptanceExamples.Example? {
        guard ["returns", "should return", "must return", "==", "->", "gives", "➞", "=>", "→"].contains(where: line.contains) else { return nil }
        var index = line.startIndex
        while index < line.endIndex {
            let atWordStart = index == line.startIndex || " `(\"'".contains(line[line.index(before: index)])
            if atWordStart, line[index].isLetter || line[index] == "_", let example = AcceptanceExamples.example(in: String(line[index...])),
               isCall(example.call) {
                return example
            }
            index = line.index(after: index)
        }
        return nil
    }

    /// `Input: arr = [4, 2], k = 1` with `Output: [4]` on the next line, or `For num = "AB" the
    /// output should be 1.`: a call of the function whose `def` comes last before the line (the
    /// docstring it sits in), or of the spec's one function.
    private static func statedCase(at index: Int, in lines: [String]) -> AcceptanceExamples.Example? {
        var input: String, output: String
        if lines[index].hasPrefix("Input:") {
            guard index + 1 < lines.count, lines[index + 1].hasPrefix("Output:") else { return nil }
            input = String(lines[index].dropFirst("Input:".count))
            output = String(lines[index + 1].dropFirst("Output:".count))
        } else if lines[index].hasPrefix("For "),
                  let range = lines[index].range(of: " the output should be ") ?? lines[index].range(of: " the result should be ") {
            input = String(lines[index][lines[index].index(lines[index].startIndex, offsetBy: 4)..<range.lowerBound])
            output = String(lines[index][range.upperBound...])
            if output.hasSuffix(".") { output.removeLast() }
            input = input.trimmingCharacters(in: CharacterSet(charactersIn: " ,"))
        } else {
            return nil
        }
        output = AcceptanceExamples.spelledAsLiteral(withoutComment(output))
        let function = lines[...index].reversed().lazy.compactMap(definition(in:)).first
            ?? lines[index...].lazy.compactMap(definition(in:)).first
        guard let function, AcceptanceExamples.looksLikeLiteral(output),
              let arguments = arguments(input.trimmingCharacters(in: .whitespaces), for: function.parameters) else { return nil }
        return .init(call: "\(function.name)(\(arguments.joined(separator: ", ")))", expected: output)
    }

    /// The arguments, in the parameters' order, an input line states: `a = 1, b = [2, 3]` (every
    /// parameter named once), or the values alone, one per parameter. Each must be a literal.
    static func arguments(_ input: String, for parameters: [String]) -> [String]? {
        let parts = topLevelParts(input)
        guard !parameters.isEmpty, !parts.isEmpty else { return nil }
        let named = parts.compactMap { part -> (String, String)? in
            guard let separator = part.firstIndex(where: { $0 == "=" || $0 == ":" }) else { return nil }
            let name = part[..<separator].trimmingCharacters(in: .whitespaces)
            guard parameters.contains(name) else { return nil }
            return (name, part[part.index(after: separator)...].trimmingCharacters(in: .whitespaces))
        }
        var values: [String]
        if named.count == parts.count {
            let byName = Dictionary(named, uniquingKeysWith: { first, _ in first })
            guard byName.count == parameters.count else { return nil }
            values = parameters.compactMap { byName[$0] }
        } else if parameters.count == 1 {
            values = [input]
        } else {
            values = parts
        }
        guard values.count == parameters.count, values.allSatisfy(AcceptanceExamples.looksLikeLiteral) else { return nil }
        return values
    }

    /// `def name(a, b: int = 2, *rest)` on one line: the name and the plain parameters' names.
    private static func definition(in line: String) -> (name: String, parameters: [String])? {
        guard line.hasPrefix("def "), let open = line.firstIndex(of: "("), let close = line.lastIndex(of: ")"), open < close else { return nil }
        let name = line[line.index(line.startIndex, offsetBy: 4)..<open].trimmingCharacters(in: .whitespaces)
        let parameters = topLevelParts(String(line[line.index(after: open)..<close])).compactMap { part -> String? in
            let name = part.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            return name.isEmpty || name == "self" ? nil : String(name)
        }
        return name.isEmpty ? nil : (name, parameters)
    }

    /// `text` split at the commas outside brackets and quotes, each part trimmed; no empty parts.
    static func topLevelParts(_ text: String) -> [String] {
        var parts: [String] = [], current = "", depth = 0
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if "([{".contains(character) {
                depth += 1
            } else if ")]}".contains(character) {
                depth -= 1
            } else if character == ",", depth == 0 {
                parts.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        parts.append(current)
        return parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The code before a `#` comment outside quotes: `round(f([1, 2]), 2) # f(x) = 1 + 2x` is the call.
    static func withoutComment(_ line: String) -> String {
        var quote: Character?
        for index in line.indices {
            let character = line[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "#" {
                return String(line[..<index]).trimmingCharacters(in: .whitespaces)
            }
        }
        return line.trimmingCharacters(in: .whitespaces)
    }

    /// One call `name(...)`: balanced brackets, the first `(` closed by the last `)` (so not
    /// "f(x) and g(y)"), not an assignment or a statement.
    private static func isCall(_ text: String) -> Bool {
        guard let open = text.firstIndex(of: "("), text.hasSuffix(")") else { return false }
        let name = text[..<open]
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) else { return false }
        var depth = 0
        for (offset, character) in text[open...].enumerated() {
            if "([{".contains(character) { depth += 1 }
            if ")]}".contains(character) { depth -= 1 }
            if depth < 0 { return false }
            if depth == 0 { return offset == text[open...].count - 1 }
        }
        return false
    }
}
