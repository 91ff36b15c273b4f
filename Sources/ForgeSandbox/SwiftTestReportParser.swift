import ForgeCore
import Foundation

/// Reads a `swift test` run: Swift Testing's results from the xUnit file it writes, XCTest's from
/// the console output.
///
/// `swift test --xunit-output F` writes Swift Testing's results to `F`'s sibling
/// `xunit-swift-testing.xml` (with each issue's text as the failure message). XCTest's own xUnit
/// file is written only under `--parallel`, and carries just "failure" as the message; its console
/// lines carry the assertion text, so XCTest cases are read from those:
///
/// ```
/// Test Case 'CalcTests.testAdd' started at …
/// /workspace/Tests/CalcTests/CalcTests.swift:6: error: CalcTests.testAdd : XCTAssertEqual failed: ("4") is not equal to ("5")
/// Test Case 'CalcTests.testAdd' failed (0.001 seconds)
/// ```
///
/// A case that started and never ended crashed the test process: it becomes an error carrying the
/// output after its start (the crash message).
public enum SwiftTestReportParser {
    /// - Parameters:
    ///   - swiftTestingReport: The `xunit-swift-testing.xml` file, nil when none was written.
    ///   - output: The test command's combined output.
    /// - Throws: `ForgeError(.io)` when the xUnit file is unreadable.
    public static func parse(swiftTestingReport: Data?, output: String) throws -> [TestReport.Case] {
        var cases = try swiftTestingReport.map { try JUnitReportParser.parse($0) } ?? []
        cases += xctestCases(in: output)
        return cases
    }

    /// XCTest's results from its console lines.
    static func xctestCases(in output: String) -> [TestReport.Case] {
        var cases: [TestReport.Case] = []
        var running: (name: String, lines: [String])?
        var messages: [String: [String]] = [:]
        for line in output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if let name = quotedName(line, after: "Test Case '", before: "' started") {
                if let crashed = running { cases.append(crashCase(crashed.name, crashed.lines)) }
                running = (name, [])
                continue
            }
            if let (name, verdict) = verdict(line) {
                let notes = messages[name] ?? []
                let outcome: TestReport.Outcome = verdict == "passed" ? .passed : verdict == "skipped" ? .skipped : .failed
                let message = notes.first.map { JUnitReportParser.cap($0, JUnitReportParser.messageLimit) }
                    ?? (outcome == .failed ? "the test failed" : nil)
                let details = notes.isEmpty ? nil : JUnitReportParser.cap(notes.joined(separator: "\n"), JUnitReportParser.detailsLimit)
                cases.append(.init(name: caseName(name), outcome: outcome, message: message, details: details))
                if running?.name == name { running = nil }
                continue
            }
            if let current = running?.name, let note = issue(line, of: current) {
                messages[current, default: []].append(note)
            }
            running?.lines.append(line)
        }
        if let crashed = running { cases.append(crashCase(crashed.name, crashed.lines)) }
        return cases
    }

    /// `Class.test` → `Class::test`, the `classname::name` shape of the other parsers.
    private static func caseName(_ name: String) -> String {
        guard let dot = name.lastIndex(of: ".") else { return name }
        return "\(name[..<dot])::\(name[name.index(after: dot)...])"
    }

    private static func crashCase(_ name: String, _ lines: [String]) -> TestReport.Case {
        let text = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        let message = lines.first { $0.contains("Fatal error") || $0.contains("error:") || $0.contains("Crash") }
            ?? "the test process crashed while this test ran"
        return .init(name: caseName(name), outcome: .error, message: JUnitReportParser.cap(message, JUnitReportParser.messageLimit),
                     details: text.isEmpty ? nil : JUnitReportParser.cap(text, JUnitReportParser.detailsLimit, keepingTail: true))
    }

    /// `Test Case 'X.y' passed (0.001 seconds)` → ("X.y", "passed").
    private static func verdict(_ line: String) -> (String, String)? {
        for word in ["passed", "failed", "skipped"] {
            if let name = quotedName(line, after: "Test Case '", before: "' \(word) (") { return (name, word) }
        }
        return nil
    }

    /// `<file>:<line>: error: X.y : <message>` → "<message> (<file>:<line>)".
    private static func issue(_ line: String, of name: String) -> String? {
        for kind in [": error: ", ": warning: ", ": "] {
            guard let range = line.range(of: "\(kind)\(name) : ") else { continue }
            let location = String(line[..<range.lowerBound])
            let message = String(line[range.upperBound...])
            return "\(message) (\((location as NSString).lastPathComponent))"
        }
        return nil
    }

    private static func quotedName(_ line: String, after prefix: String, before suffix: String) -> String? {
        guard let start = line.range(of: prefix), let end = line.range(of: suffix, range: start.upperBound..<line.endIndex) else {
            return nil
        }
        return String(line[start.upperBound..<end.lowerBound])
    }
}
