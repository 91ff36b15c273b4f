import ForgeCore
import Foundation
import Testing
@testable import ForgeSandbox

/// The per-language report parsers on reports shaped like the real tools' (the sample projects in
/// `LanguageProfileTests` run the real tools end to end).
@Suite struct ReportParserTests {
    @Test func nodeJUnitIsNamedBySuitePath() throws {
        let xml = """
        <?xml version="1.0" encoding="utf-8"?>
        <testsuites>
        \t<testcase name="add" time="0.001" classname="test"/>
        \t<testsuite name="mean" tests="2" failures="1">
        \t\t<testsuite name="rounding" tests="1">
        \t\t\t<testcase name="down" time="0.001" classname="test" failure="1.5 !== 2">
        \t\t\t\t<failure type="testCodeFailure" message="Expected values to be strictly equal:1.5 !== 2">stack</failure>
        \t\t\t</testcase>
        \t\t</testsuite>
        \t\t<testcase name="skipped one" classname="test"><skipped type="skipped" message="true"/></testcase>
        \t</testsuite>
        </testsuites>
        """
        let cases = try TestReportFormat.nodeJUnit.parse(report: Data(xml.utf8), output: "")
        #expect(cases.map(\.name) == ["add", "mean > rounding > down", "mean > skipped one"])
        #expect(cases.map(\.outcome) == [.passed, .failed, .skipped])
        #expect(cases[1].message == "Expected values to be strictly equal:1.5 !== 2")
        // Plain junit keeps pytest's classname::name.
        #expect(try TestReportFormat.junit.parse(report: Data(xml.utf8), output: "").first?.name == "test::add")
    }

    @Test func libtestJSONEventsBecomeCasesWithPanicMessages() throws {
        let json = """
        { "type": "suite", "event": "started", "test_count": 4 }
        { "type": "test", "event": "started", "name": "tests::adds" }
        { "type": "test", "name": "tests::adds", "event": "ok" }
        { "type": "test", "name": "tests::ignored", "event": "ignored" }
        { "type": "test", "name": "tests::fails", "event": "failed", "stdout": "\\nthread 'tests::fails' (7) panicked at src/lib.rs:6:26:\\nassertion `left == right` failed: one plus two\\n  left: 3\\n right: 4\\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\\n" }
        { "type": "test", "name": "old_style", "event": "failed", "stdout": "thread 'old_style' panicked at 'boom', src/lib.rs:9:5\\n" }
        { "type": "suite", "event": "failed", "passed": 1, "failed": 2, "ignored": 1 }
        warning: not json, from cargo
        { "type": "suite", "event": "started", "test_count": 1 }
        { "type": "test", "name": "integration", "event": "ok" }
        """
        let cases = try TestReportFormat.libtestJSON.parse(report: Data(json.utf8), output: "")
        #expect(cases.map(\.name) == ["tests::adds", "tests::ignored", "tests::fails", "old_style", "integration"])
        #expect(cases.map(\.outcome) == [.passed, .skipped, .failed, .failed, .passed])
        #expect(cases[2].message == "assertion `left == right` failed: one plus two; left: 3; right: 4")
        #expect(cases[2].details?.contains("src/lib.rs:6:26") == true)
        #expect(cases[3].message == "boom")
        #expect(throws: ForgeError.self) { try LibtestJSONParser.parse(Data("running 3 tests\ntest a ... ok\n".utf8)) }
    }

    @Test func goTestJSONFollowsEachTestToItsLastAction() throws {
        func event(_ action: String, _ test: String?, _ output: String? = nil, package: String = "example.com/calc") -> String {
            var object: [String: String] = ["Action": action, "Package": package]
            if let test { object["Test"] = test }
            if let output { object["Output"] = output }
            return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        let lines = [
            event("run", "TestAdd"), event("output", "TestAdd", "=== RUN   TestAdd\n"), event("pass", "TestAdd"),
            event("run", "TestMean"), event("run", "TestMean/zero"),
            event("output", "TestMean/zero", "    calc_test.go:12: Mean(nil) = NaN, want 0\n"),
            event("output", "TestMean/zero", "    --- FAIL: TestMean/zero (0.00s)\n"), event("fail", "TestMean/zero"),
            event("output", "TestMean", "--- FAIL: TestMean (0.00s)\n"), event("fail", "TestMean"),
            event("run", "TestSkip"), event("output", "TestSkip", "    calc_test.go:20: not on linux\n"), event("skip", "TestSkip"),
            event("run", "TestHang"), event("output", "TestHang", "=== RUN   TestHang\n"),
            event("output", nil, "FAIL\texample.com/calc\t0.01s\n"), event("fail", nil),
            event("output", nil, "panic: boom in init\n", package: "example.com/calc/broken"),
            event("output", nil, "FAIL\texample.com/calc/broken\t0.01s\n", package: "example.com/calc/broken"),
            event("fail", nil, package: "example.com/calc/broken"),
            event("output", nil, "ok\texample.com/calc/fine\t0.01s\n", package: "example.com/calc/fine"),
            event("pass", nil, package: "example.com/calc/fine"),
        ]
        let cases = try TestReportFormat.goTestJSON.parse(report: Data(lines.joined(separator: "\n").utf8), output: "")
        #expect(cases.map(\.name) == ["example.com/calc::TestAdd", "example.com/calc::TestMean", "example.com/calc::TestMean/zero",
                                      "example.com/calc::TestSkip", "example.com/calc::TestHang", "example.com/calc/broken"])
        #expect(cases.map(\.outcome) == [.passed, .failed, .failed, .skipped, .error, .error])
        #expect(cases[2].message == "calc_test.go:12: Mean(nil) = NaN, want 0")
        #expect(cases[3].message == "calc_test.go:20: not on linux")
        #expect(cases[5].message == "panic: boom in init")
    }

    @Test func xctestConsoleLinesBecomeCases() throws {
        let output = """
        Test Suite 'All tests' started at 2026-01-01 10:00:00.000
        Test Case 'CalcTests.testAdd' started at 2026-01-01 10:00:00.001
        Test Case 'CalcTests.testAdd' passed (0.001 seconds)
        Test Case 'CalcTests.testWrong' started at 2026-01-01 10:00:00.002
        /workspace/Tests/CalcTests/CalcTests.swift:9: error: CalcTests.testWrong : XCTAssertEqual failed: ("4") is not equal to ("5") - two plus two
        Test Case 'CalcTests.testWrong' failed (0.002 seconds)
        Test Case 'CalcTests.testLater' started at 2026-01-01 10:00:00.003
        /workspace/Tests/CalcTests/CalcTests.swift:12: CalcTests.testLater : Test skipped - not yet
        Test Case 'CalcTests.testLater' skipped (0.000 seconds)
        Test Case 'CalcTests.testCrash' started at 2026-01-01 10:00:00.004
        Calc/Calc.swift:3: Fatal error: Index out of range
        """
        let cases = try TestReportFormat.swift.parse(report: nil, output: output)
        #expect(cases.map(\.name) == ["CalcTests::testAdd", "CalcTests::testWrong", "CalcTests::testLater", "CalcTests::testCrash"])
        #expect(cases.map(\.outcome) == [.passed, .failed, .skipped, .error])
        #expect(cases[1].message == #"XCTAssertEqual failed: ("4") is not equal to ("5") - two plus two (CalcTests.swift:9)"#)
        #expect(cases[2].message == "Test skipped - not yet (CalcTests.swift:12)")
        #expect(cases[3].message == "Calc/Calc.swift:3: Fatal error: Index out of range")
    }

    @Test func swiftTestingXUnitAndXCTestAreCombined() throws {
        let xunit = """
        <testsuites><testsuite name="TestResults" tests="2" failures="1">
        <testcase classname="CalcTests" name="adds()" time="0.001" />
        <testcase classname="CalcTests.MeanTests" name="rounds()" time="0.001"><failure message="Expectation failed: (mean([1, 2]) → 1.5) == 2 (error): mean of 1 and 2" /></testcase>
        </testsuite></testsuites>
        """
        let cases = try TestReportFormat.swift.parse(report: Data(xunit.utf8),
                                                     output: "Test Case 'X.testY' started at t\nTest Case 'X.testY' passed (0.1 seconds)\n")
        #expect(cases.map(\.name) == ["CalcTests::adds()", "CalcTests.MeanTests::rounds()", "X::testY"])
        #expect(cases[1].message?.contains("mean of 1 and 2") == true)
    }

    @Test func compilerDiagnosticsPickTheErrorLineAndKeepItsContext() {
        let output = """
        Building for debugging...
        [3/5] Compiling Calc Calc.swift
        /workspace/Sources/Calc/Calc.swift:1:54: error: cannot convert value of type 'String' to expected argument type 'Int'
        1 | public func add(_ a: Int, _ b: Int) -> Int { a + b + "x" }
          |                                                      `- error: cannot convert
        """
        let failure = CompilerDiagnostics.failureCase(output: output, pattern: ": error: ", termination: .exited(1))
        #expect(failure.name == "build" && failure.outcome == .error)
        #expect(failure.message == "/workspace/Sources/Calc/Calc.swift:1:54: error: cannot convert value of type 'String' to expected argument type 'Int'")
        #expect(failure.details?.hasPrefix("Building for debugging...") == true)
        let silent = CompilerDiagnostics.failureCase(output: "killed\n", pattern: nil, termination: .signalled(9))
        #expect(silent.message == "the build failed (killed by signal 9) without a recognisable error line")
        #expect(silent.details == "killed")
    }
}
