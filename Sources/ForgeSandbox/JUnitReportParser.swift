import ForgeCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Turns a JUnit XML report (pytest's `--junitxml`, and the many tools that write the same shape)
/// into test cases.
///
/// Each `<testcase>` becomes one case named `classname::name` (pytest's classname is the module,
/// `test_mod`, or module and class, `test_mod.TestX`). A `<failure>` child makes it failed, `<error>`
/// errored, `<skipped>` skipped; no such child means passed. The failure's `message` attribute is the
/// one-line message, its text the details (a traceback), capped so a runaway report stays small.
///
/// Node's test runner writes the same shape but with a constant `classname="test"` and nested
/// `<testsuite>` elements for `describe` blocks: ``parse(_:namingBySuitePath:)`` with `true` names
/// its cases by that path instead (`math > add > rounds`).
public enum JUnitReportParser {
    /// Bytes of failure details kept per case.
    public static let detailsLimit = 4096
    /// Bytes of a failure message kept per case.
    public static let messageLimit = 1024

    /// - Throws: `ForgeError(.io)` when the data is not well-formed XML or not a JUnit report.
    public static func parse(_ xml: Data, namingBySuitePath: Bool = false) throws -> [TestReport.Case] {
        let parser = XMLParser(data: xml)
        let collector = Collector()
        collector.namingBySuitePath = namingBySuitePath
        parser.delegate = collector
        parser.shouldResolveExternalEntities = false
        // FoundationXML can return true from parse() after reporting an error (a mismatched end tag),
        // so the first reported error decides.
        let parsed = parser.parse()
        if let error = collector.firstError ?? (parsed ? nil : (parser.parserError.map { ($0 as NSError).code } ?? -1, parser.lineNumber)) {
            throw ForgeError(.io, "the JUnit report is not well-formed XML (libxml2 error \(error.code) at line \(error.line))",
                             hint: "look at the test command's output; the report was probably cut short")
        }
        if collector.depth != 0 {
            throw ForgeError(.io, "the JUnit report ends inside <\(collector.open.last ?? "?")>: it was cut short",
                             hint: "look at the test command's output; it probably died while writing the report")
        }
        guard let root = collector.root, root == "testsuites" || root == "testsuite" else {
            throw ForgeError(.io, "not a JUnit report: the root element is <\(collector.root ?? "none")>, not <testsuites> or <testsuite>",
                             hint: "make the profile's test command write JUnit XML")
        }
        return collector.cases
    }

    /// Cuts `text` to at most about `limit` UTF-8 bytes on a character boundary, saying so when it
    /// cut. With `keepingTail`, the end survives too: a traceback's last lines hold the error.
    static func cap(_ text: String, _ limit: Int, keepingTail: Bool = false) -> String {
        guard text.utf8.count > limit else { return text }
        let headLimit = keepingTail ? limit / 4 : limit
        let head = prefix(text, bytes: headLimit)
        guard keepingTail else { return head + "\n[… cut at \(limit) bytes]" }
        let tail = String(prefix(String(text.reversed()), bytes: limit - headLimit).reversed())
        return head + "\n[… \(text.utf8.count - head.utf8.count - tail.utf8.count) bytes cut …]\n" + tail
    }

    private static func prefix(_ text: String, bytes limit: Int) -> String {
        var kept = ""
        var used = 0
        for character in text {
            let size = character.utf8.count
            if used + size > limit { break }
            kept.append(character)
            used += size
        }
        return kept
    }

    /// The SAX delegate: follows `<testcase>` elements and the result element inside each.
    private final class Collector: NSObject, XMLParserDelegate {
        var root: String?
        var cases: [TestReport.Case] = []
        /// Elements opened and not yet closed: a report cut short leaves some open, and
        /// FoundationXML does not always call that an error.
        var open: [String] = []
        var depth: Int { open.count }
        var firstError: (code: Int, line: Int)?
        var namingBySuitePath = false
        private var suites: [String] = []
        private var current: TestReport.Case?
        private var resultElement: String?
        private var text = ""

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            if root == nil { root = name }
            open.append(name)
            switch name {
            case "testsuite":
                suites.append(attributes["name"] ?? "")
            case "testcase":
                let testName = attributes["name"] ?? "(unnamed)"
                let className = attributes["classname"] ?? ""
                let fullName: String
                if namingBySuitePath {
                    fullName = (suites.filter { !$0.isEmpty } + [testName]).joined(separator: " > ")
                } else {
                    fullName = className.isEmpty ? testName : "\(className)::\(testName)"
                }
                current = TestReport.Case(name: fullName, outcome: .passed)
            case "failure", "error", "skipped":
                guard var testCase = current else { return }
                let outcome: TestReport.Outcome = name == "failure" ? .failed : name == "error" ? .error : .skipped
                // A case can carry several results (a failed call and an errored teardown): the first
                // non-skip result decides, and any failure or error outranks a skip.
                if testCase.outcome == .passed || (testCase.outcome == .skipped && outcome != .skipped) {
                    testCase.outcome = outcome
                    testCase.message = attributes["message"].map { JUnitReportParser.cap($0, JUnitReportParser.messageLimit) }
                    testCase.details = nil
                    resultElement = name
                    text = ""
                }
                current = testCase
            default:
                break
            }
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            if firstError == nil { firstError = ((parseError as NSError).code, parser.lineNumber) }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard resultElement != nil else { return }
            text += string
            // Bound memory on a huge failure text, keeping its head and its tail (where the error is).
            if text.utf8.count > 16 * JUnitReportParser.detailsLimit {
                text = JUnitReportParser.cap(text, 2 * JUnitReportParser.detailsLimit, keepingTail: true)
            }
        }

        func parser(_ xmlParser: XMLParser, foundCDATA data: Data) {
            parser(xmlParser, foundCharacters: String(decoding: data, as: UTF8.self))
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            _ = open.popLast()
            if name == "testsuite" { _ = suites.popLast() }
            if name == resultElement, var testCase = current {
                let details = text.trimmingCharacters(in: .whitespacesAndNewlines)
                testCase.details = details.isEmpty ? nil
                    : JUnitReportParser.cap(details, JUnitReportParser.detailsLimit, keepingTail: true)
                if testCase.message?.isEmpty ?? true, let firstLine = details.split(separator: "\n").first {
                    testCase.message = JUnitReportParser.cap(String(firstLine), JUnitReportParser.messageLimit)
                }
                current = testCase
                resultElement = nil
                text = ""
            } else if name == "testcase", let testCase = current {
                cases.append(testCase)
                current = nil
            }
        }
    }
}
