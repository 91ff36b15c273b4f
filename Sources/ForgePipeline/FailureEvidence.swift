import Foundation
import ForgeCore

/// Turns a failed assertion into one plain sentence — "`f(x)` returned `A`, but the test expects `B`"
/// — because small models misread pytest's raw `assert A == B` far more often than they misread a
/// sentence. Returns nil when the failure has no recognisable equality assertion; prompts then fall
/// back to the raw message.
enum FailureEvidence {
    static func sentence(for failure: TestReport.Case) -> String? {
        guard let details = failure.details else { return nil }
        var source: String?
        var error: String?
        for line in details.split(separator: "\n", omittingEmptySubsequences: true) {
            // pytest marks the failing source line with ">" and its explanation with "E".
            if source == nil, line.hasPrefix(">"), line.contains("assert ") { source = String(line.dropFirst()) }
            if error == nil, line.hasPrefix("E "), line.contains("assert ") { error = String(line.dropFirst()) }
        }
        guard let source, let error,
              let (call, expected) = equality(in: source, anchoredAtAssert: true),
              let (actual, _) = equality(in: error, anchoredAtAssert: false) else { return nil }
        guard call != actual else { return nil }
        return "\(call) returned \(actual), but the test expects \(expected)"
    }

    /// The two sides of `assert LEFT == RIGHT` in `line`.
    private static func equality(in line: String, anchoredAtAssert: Bool) -> (String, String)? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard let assertRange = trimmed.range(of: "assert ") else { return nil }
        if anchoredAtAssert, assertRange.lowerBound != trimmed.startIndex { return nil }
        let expression = trimmed[assertRange.upperBound...]
        guard let equals = topLevelEquality(in: expression) else { return nil }
        let left = expression[..<equals].trimmingCharacters(in: .whitespaces)
        let right = expression[expression.index(equals, offsetBy: 2)...].trimmingCharacters(in: .whitespaces)
        guard !left.isEmpty, !right.isEmpty else { return nil }
        return (left, right)
    }

    /// The first `==` outside brackets and string literals.
    private static func topLevelEquality(in text: Substring) -> String.Index? {
        var depth = 0
        var quote: Character?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if let open = quote {
                if character == "\\" { index = text.index(after: index) } else if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if "([{".contains(character) {
                depth += 1
            } else if ")]}".contains(character) {
                depth -= 1
            } else if character == "=", depth == 0 {
                let next = text.index(after: index)
                if next < text.endIndex, text[next] == "=" { return index }
            }
            if index < text.endIndex { index = text.index(after: index) }
        }
        return nil
    }
}
