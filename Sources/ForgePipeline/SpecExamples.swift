import Foundation

/// The examples the *user* stated in the spec — doctest lines (`>>> f(1)` then `2`) and sentences
/// like "`f(1)` returns `2`". They are the strongest evidence forge has: the PRD's examples and the
/// model's tests may be invented (and wrong), these are not. forge turns them into a test file of its
/// own, checks the PRD and the tests against them, and ranks code by them first.
enum SpecExamples {
    static func parse(_ spec: String) -> [AcceptanceExamples.Example] {
        var examples: [AcceptanceExamples.Example] = []
        let lines = spec.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if line.hasPrefix(">>> ") {
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
