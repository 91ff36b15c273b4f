import Foundation

/// The concrete examples inside a PRD's acceptance criteria — "`clamp(5, 0, 10)` returns `5`" —
/// and a check that tests assert what those examples say.
///
/// The PM template asks for criteria of exactly that shape, so they are the closest thing to an
/// executable spec forge has. A test writer that copies one wrongly (`celsius_to_fahrenheit(32) == 0`
/// where the PRD says `fahrenheit_to_celsius(32)` returns 0) locks in a test no code can pass; this
/// check catches that before the tests are locked. Assertions are read in the `assert CALL == VALUE`
/// form (pytest); tests in other shapes are not judged here.
struct AcceptanceExamples {
    struct Example: Equatable {
        var call: String
        var expected: String
        var function: String { String(call.prefix { $0 != "(" }) }
    }

    var examples: [Example]

    init(criteria: [String]) {
        examples = criteria.compactMap(Self.example(in:))
    }

    /// The spec's own examples first (they win where both speak), then the PRD's.
    init(spec: [Example], criteria: [String]) {
        let stated = Set(spec.map { Self.normalise($0.call) })
        examples = spec + criteria.compactMap(Self.example(in:)).filter { !stated.contains(Self.normalise($0.call)) }
    }

    /// PRD criteria that contradict an example the spec itself states.
    static func criteriaContradicting(_ spec: [Example], criteria: [String]) -> [String] {
        criteria.compactMap { criterion in
            guard let example = example(in: criterion),
                  let stated = spec.first(where: { normalise($0.call) == normalise(example.call) }),
                  !sameValue(stated.expected, example.expected) else { return nil }
            return "the acceptance criterion \"\(criterion)\" contradicts the spec's own example: \(stated.call) returns \(stated.expected)"
        }
    }

    /// `f(args) returns VALUE` (also "should return", "==", "->", "gives", and the arrows `➞`, `=>`,
    /// `==>`, `→` that specs write examples with), where VALUE looks like a literal: a number, a
    /// string, a list/tuple/dict, True/False/None. Prose spells booleans `true`/`false`: they are read
    /// as the literals they mean. A plain `=` is no example: specs define sequences with it
    /// (HumanEval_130's `tri(1) = 3`, where `tri(1)` returns a list).
    static func example(in criterion: String) -> Example? {
        let pattern = #"^\s*`?([A-Za-z_][A-Za-z0-9_.]*\(.*\))`?\s+(?:returns|should return|must return|==>|==|->|gives|➞|=>|→)\s+`?(.+?)`?\s*(?:\.|,? because .*|,? since .*|,? as .*|\(.*\))?\s*$"#
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: criterion, range: NSRange(criterion.startIndex..., in: criterion)),
              let callRange = Range(match.range(at: 1), in: criterion),
              let valueRange = Range(match.range(at: 2), in: criterion) else { return nil }
        let value = spelledAsLiteral(String(criterion[valueRange]).trimmingCharacters(in: .whitespaces))
        guard looksLikeLiteral(value), !isOneValueInParentheses(value) else { return nil }
        return Example(call: String(criterion[callRange]), expected: value)
    }

    /// Prose's `true`, `false`, `null` and `none` as the Python literals they mean; other text as is.
    static func spelledAsLiteral(_ value: String) -> String {
        ["true": "True", "false": "False", "null": "None", "none": "None"][value] ?? value
    }

    /// `("Venus")`: a string in Python, though the spec that writes it (HumanEval_148, beside
    /// `("Saturn", "Uranus")`) means a tuple. Neither reading is safe to hold code to.
    static func isOneValueInParentheses(_ value: String) -> Bool {
        guard value.hasPrefix("("), value.hasSuffix(")") else { return false }
        let inside = value.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
        return !inside.hasSuffix(",") && SpecExamples.topLevelParts(inside).count == 1
    }

    /// Problems with `tests`: assertions that contradict an example.
    func contradictions(in tests: String) -> [String] {
        guard !examples.isEmpty else { return [] }
        let functions = Set(examples.map(\.function))
        var problems: [String] = []
        for line in tests.split(separator: "\n") {
            guard let (call, expected) = Self.assertion(in: String(line)) else { continue }
            let function = String(call.prefix { $0 != "(" })
            guard functions.contains(function) else { continue }
            let key = Self.normalise(call)
            if let example = examples.first(where: { Self.normalise($0.call) == key }) {
                if !Self.sameValue(example.expected, expected) {
                    problems.append("`assert \(call) == \(expected)` contradicts the acceptance criterion \"\(example.call) returns \(example.expected)\"")
                }
            } else if let example = examples.first(where: {
                Self.arguments(of: $0.call) == Self.arguments(of: call) && Self.sameValue($0.expected, expected) && $0.function != function
            }) {
                problems.append("`assert \(call) == \(expected)` calls the wrong function: the acceptance criterion says \"\(example.call) returns \(example.expected)\"")
            }
        }
        return problems
    }

    /// `CALL` and `VALUE` of a one-line `assert CALL == VALUE`.
    static func assertion(in line: String) -> (String, String)? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("assert "), let range = trimmed.range(of: " == ") else { return nil }
        let call = trimmed[trimmed.index(trimmed.startIndex, offsetBy: 7) ..< range.lowerBound].trimmingCharacters(in: .whitespaces)
        var value = trimmed[range.upperBound...].trimmingCharacters(in: .whitespaces)
        if let comment = value.range(of: "  #") { value = value[..<comment.lowerBound].trimmingCharacters(in: .whitespaces) }
        // `== pytest.approx(0.5)` states 0.5 (forge itself writes float comparisons that way).
        for wrapper in ["pytest.approx(", "approx("] where value.hasPrefix(wrapper) && value.hasSuffix(")") {
            value = String(value.dropFirst(wrapper.count).dropLast()).trimmingCharacters(in: .whitespaces)
            break
        }
        guard call.hasSuffix(")"), call.contains("(") else { return nil }
        return (call, value)
    }

    static func looksLikeLiteral(_ value: String) -> Bool {
        guard let first = value.first else { return false }
        if "0123456789-+'\"[({".contains(first) { return isSelfContained(value) }
        return ["True", "False", "None"].contains(value)
    }

    /// Brackets balanced outside string quotes, and no bare keyword: a value, not the rest of a line
    /// of code (`len(group) == 3 else group for group in groups]` is no example).
    static func isSelfContained(_ value: String) -> Bool {
        var depth = 0
        var quote: Character?
        var bare = ""
        var previous: Character = " "
        for character in value {
            if let open = quote {
                if character == open && previous != "\\" { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else {
                if "([{".contains(character) { depth += 1 }
                if ")]}".contains(character) { depth -= 1 }
                if depth < 0 { return false }
                bare.append(character)
            }
            previous = character
        }
        guard depth == 0, quote == nil else { return false }
        let words = Set(bare.split { !$0.isLetter }.map(String.init))
        return words.isDisjoint(with: ["else", "for", "if", "in", "and", "or", "not", "lambda", "is", "return"])
    }

    /// Spacing and quote style do not matter: `f('a', 2)` is `f("a",2)`.
    static func normalise(_ text: String) -> String {
        text.replacingOccurrences(of: "\"", with: "'").filter { !$0.isWhitespace }
    }

    static func arguments(of call: String) -> String {
        guard let open = call.firstIndex(of: "(") else { return "" }
        return normalise(String(call[open...]))
    }

    static func sameValue(_ a: String, _ b: String) -> Bool {
        if normalise(a) == normalise(b) { return true }
        if let x = Double(a), let y = Double(b) { return x == y }
        return false
    }
}
