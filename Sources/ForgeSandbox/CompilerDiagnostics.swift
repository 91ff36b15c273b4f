import ForgeCore
import Foundation

/// The compiler's errors in a failed build's output, as a failing ``TestReport/Case`` the Analyst
/// reads like any other failure.
///
/// The message is the first line matching the profile's `compile_error_pattern` (by default any
/// line with the word "error"); the details are the output from a few lines before it on, capped
/// keeping head and tail, so the diagnostic and its context survive a long build log.
public enum CompilerDiagnostics {
    /// Matches a line with "error" as a word, in any case (swiftc, rustc, cargo, gcc, tsc…).
    public static let defaultPattern = #"(?i)\berror\b"#
    /// The name of the case a failed build becomes.
    public static let caseName = "build"

    /// - Parameters:
    ///   - output: The build command's combined output.
    ///   - pattern: A regular expression picking the diagnostic lines; nil means ``defaultPattern``.
    public static func failureCase(output: String, pattern: String?, termination: TestReport.Termination) -> TestReport.Case {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let regex = (try? NSRegularExpression(pattern: pattern ?? defaultPattern))
            ?? (try? NSRegularExpression(pattern: defaultPattern))
        let first = lines.firstIndex { line in
            guard let regex, !line.hasPrefix("[forge:") else { return false }
            return regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil
        }
        let message: String
        let details: String
        if let first {
            message = lines[first].trimmingCharacters(in: .whitespaces)
            details = lines[max(0, first - 3)...].joined(separator: "\n")
        } else {
            message = "the build failed (\(TestVerifier.describe(termination))) without a recognisable error line"
            details = output
        }
        let trimmed = details.trimmingCharacters(in: .whitespacesAndNewlines)
        return TestReport.Case(
            name: caseName, outcome: .error,
            message: JUnitReportParser.cap(message, JUnitReportParser.messageLimit),
            details: trimmed.isEmpty ? nil : JUnitReportParser.cap(trimmed, JUnitReportParser.detailsLimit, keepingTail: true))
    }
}
