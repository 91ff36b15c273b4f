import ForgeCore
import Foundation

/// What a failing run "looks like", with the noise removed: the failing tests and the first line of
/// each message, numbers, addresses and quoting normalised away. Two runs with the same signature
/// failed the same way; the loop counts how often that repeats to decide that it is stuck.
struct FailureSignature: Equatable, CustomStringConvertible {
    let text: String

    init(_ report: TestReport) {
        var lines = report.failures.map { failure -> String in
            let firstLine = (failure.message ?? "").split(separator: "\n").first.map(String.init) ?? ""
            return "\(failure.name)|\(Self.normalise(firstLine))"
        }
        if lines.isEmpty, !report.allPassed {
            // No per-test failures: a collection error, a timeout, zero tests. The problem says which.
            lines = ["run|\(Self.normalise(report.problem ?? report.summary))"]
        }
        text = lines.sorted().joined(separator: "\n")
    }

    var description: String { text }

    static func normalise(_ text: String) -> String {
        var result = text.replacingOccurrences(of: "\"", with: "'")
        for (pattern, replacement) in [("0x[0-9a-fA-F]+", "0x#"), ("[0-9]+(\\.[0-9]+)?", "#"), ("\\s+", " ")] {
            result = result.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return String(result.trimmingCharacters(in: .whitespaces).prefix(200))
    }
}
