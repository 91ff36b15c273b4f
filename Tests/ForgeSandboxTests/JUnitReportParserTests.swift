import ForgeCore
import Foundation
import Testing
@testable import ForgeSandbox

@Suite struct JUnitReportParserTests {
    /// pytest 9's `--junitxml` output for a module with a class, a skip, a fixture error and a pass.
    static let pytestReport = """
    <?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="1" \
    failures="1" skipped="1" tests="5" time="0.062"><testcase classname="test_x.TestX" name="test_ok" time="0.001" />\
    <testcase classname="test_x.TestX" name="test_bad" time="0.001"><failure message="AssertionError: math is broken&#10;\
    assert (1 + 1) == 3">self = &lt;test_x.TestX object at 0x7fb820f35a50&gt;

    E   AssertionError: math is broken
    E   assert (1 + 1) == 3

    test_x.py:4: AssertionError</failure></testcase><testcase classname="test_x" name="test_skip" time="0.000">\
    <skipped type="pytest.skip" message="not today">/tmp/pj/test_x.py:6: not today</skipped></testcase>\
    <testcase classname="test_x" name="test_err" time="0.000"><error message="failed on setup with &quot;RuntimeError: \
    fixture exploded&quot;">E       RuntimeError: fixture exploded

    test_x.py:9: RuntimeError</error></testcase><testcase classname="test_x" name="test_plain" time="0.000" />\
    </testsuite></testsuites>
    """

    @Test func parsesPytestOutcomesNamesAndMessages() throws {
        let cases = try JUnitReportParser.parse(Data(Self.pytestReport.utf8))
        #expect(cases.map(\.name) == ["test_x.TestX::test_ok", "test_x.TestX::test_bad", "test_x::test_skip",
                                      "test_x::test_err", "test_x::test_plain"])
        #expect(cases.map(\.outcome) == [.passed, .failed, .skipped, .error, .passed])
        #expect(cases[1].message == "AssertionError: math is broken\nassert (1 + 1) == 3")
        let details = try #require(cases[1].details)
        #expect(details.contains("test_x.py:4: AssertionError"))
        #expect(details.contains("<test_x.TestX object"))
        #expect(cases[2].message == "not today")
        #expect(cases[3].message == "failed on setup with \"RuntimeError: fixture exploded\"")
        #expect(cases[0].message == nil && cases[0].details == nil)
    }

    @Test func collectionErrorWithEmptyClassnameIsAnError() throws {
        let xml = """
        <?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="1" tests="1">\
        <testcase classname="" name="test_y" time="0.000"><error message="collection failure">E   \
        ModuleNotFoundError: No module named 'nonexistent_mod'</error></testcase></testsuite></testsuites>
        """
        let cases = try JUnitReportParser.parse(Data(xml.utf8))
        #expect(cases == [TestReport.Case(name: "test_y", outcome: .error, message: "collection failure",
                                          details: "E   ModuleNotFoundError: No module named 'nonexistent_mod'")])
    }

    @Test func bareTestsuiteRootAndMessageFromTextWhenAttributeMissing() throws {
        let xml = """
        <testsuite name="s"><testcase classname="m" name="t"><failure><![CDATA[first line
        second line]]></failure></testcase></testsuite>
        """
        let cases = try JUnitReportParser.parse(Data(xml.utf8))
        #expect(cases.count == 1)
        #expect(cases[0].outcome == .failed)
        #expect(cases[0].message == "first line")
        #expect(cases[0].details == "first line\nsecond line")
    }

    @Test func failureOutranksSkipAndFirstFailureWins() throws {
        let xml = """
        <testsuites><testsuite><testcase classname="m" name="t"><skipped message="s"/>\
        <failure message="boom">x</failure><error message="teardown">y</error></testcase></testsuite></testsuites>
        """
        let cases = try JUnitReportParser.parse(Data(xml.utf8))
        #expect(cases.map(\.outcome) == [.failed])
        #expect(cases[0].message == "boom")
    }

    @Test func capsLongDetailsKeepingHeadAndTail() throws {
        let long = "Traceback head\n" + String(repeating: "é", count: 100_000) + "\nE   SyntaxError: expected ':'"
        let xml = "<testsuite><testcase name=\"t\"><failure message=\"m\">\(long)</failure></testcase></testsuite>"
        let cases = try JUnitReportParser.parse(Data(xml.utf8))
        let details = try #require(cases.first?.details)
        #expect(details.utf8.count <= JUnitReportParser.detailsLimit + 60)
        #expect(details.hasPrefix("Traceback head"))
        #expect(details.hasSuffix("E   SyntaxError: expected ':'"))
        #expect(details.contains("bytes cut …]"))
        #expect(cases.first?.name == "t")
    }

    @Test func emptySuiteHasNoCases() throws {
        let xml = #"<?xml version="1.0"?><testsuites><testsuite name="pytest" tests="0"></testsuite></testsuites>"#
        #expect(try JUnitReportParser.parse(Data(xml.utf8)).isEmpty)
    }

    @Test func reportCutShortThrows() {
        let error = #expect(throws: ForgeError.self) {
            try JUnitReportParser.parse(Data("<testsuites><testsuite><testcase name=\"t\">".utf8))
        }
        #expect(error?.code == .io)
        #expect(error?.message.contains("not well-formed") == true || error?.message.contains("cut short") == true)
    }

    @Test func malformedXMLThrows() {
        let error = #expect(throws: ForgeError.self) {
            try JUnitReportParser.parse(Data("<testsuite><testcase name=\"t\"></testsuite>".utf8))
        }
        #expect(error?.code == .io)
        #expect(error?.message.contains("not well-formed") == true, "\(error?.message ?? "")")
    }

    @Test func nonJUnitRootThrows() {
        let error = #expect(throws: ForgeError.self) {
            try JUnitReportParser.parse(Data("<html><testcase name=\"t\"/></html>".utf8))
        }
        #expect(error?.message.contains("<html>") == true)
    }
}
