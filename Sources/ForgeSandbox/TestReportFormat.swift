import ForgeCore
import Foundation

/// The kinds of report a profile's test command can leave, each with its parser (`report_format`).
public enum TestReportFormat: String, Sendable, CaseIterable {
    /// JUnit XML (pytest `--junitxml`, and most tools): cases named `classname::name`.
    case junit
    /// Node's `--test-reporter=junit`: JUnit XML named by `describe` path.
    case nodeJUnit = "node-junit"
    /// `swift test --xunit-output`: Swift Testing's xUnit file plus XCTest's console lines.
    case swift
    /// Rust libtest's JSON events (`cargo test -- -Z unstable-options --format json`).
    case libtestJSON = "libtest-json"
    /// `go test -json` (test2json events).
    case goTestJSON = "go-test-json"

    /// True when the console output alone can carry results, so a missing report file is not by
    /// itself "no report" (XCTest writes none without `--parallel`).
    var readsOutput: Bool { self == .swift }

    /// The test cases in a report file and the test command's output.
    ///
    /// - Parameters:
    ///   - report: The report file's bytes, nil when the command wrote none.
    ///   - output: The test command's combined, capped output.
    /// - Throws: `ForgeError(.io)` when the report is malformed.
    public func parse(report: Data?, output: String) throws -> [TestReport.Case] {
        switch self {
        case .swift: return try SwiftTestReportParser.parse(swiftTestingReport: report, output: output)
        case .junit: return try report.map { try JUnitReportParser.parse($0) } ?? []
        case .nodeJUnit: return try report.map { try JUnitReportParser.parse($0, namingBySuitePath: true) } ?? []
        case .libtestJSON: return try report.map(LibtestJSONParser.parse) ?? []
        case .goTestJSON: return try report.map(GoTestJSONParser.parse) ?? []
        }
    }
}
