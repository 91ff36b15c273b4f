import ForgeCore
import Foundation

/// Reads `go test -json` events (test2json: one JSON object per line) into test cases.
///
/// Each test and subtest (`TestSum/negative`) becomes a case named `<package>::<test>` whose outcome
/// is its last `pass`, `fail` or `skip` action; its message is the first line it logged (`t.Errorf`
/// prints `sum_test.go:12: Sum(…) = 3, want 4`), its details everything it printed. A package that
/// failed with no failing test (a panic in `init`, `TestMain`, the `-timeout`) becomes an error case
/// named after the package, and a test still running when the output ended becomes an error case
/// too: it never finished.
public enum GoTestJSONParser {
    private struct Test {
        var output: [String] = []
        var action: String?
    }

    /// - Throws: `ForgeError(.io)` when no line is a test2json event.
    public static func parse(_ data: Data) throws -> [TestReport.Case] {
        var order: [String] = []
        var tests: [String: Test] = [:]
        var packageOutput: [String: [String]] = [:]
        var packageAction: [String: String] = [:]
        var sawEvent = false
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard line.first == UInt8(ascii: "{"),
                  let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                  let action = object["Action"] as? String else { continue }
            sawEvent = true
            let package = object["Package"] as? String ?? ""
            let output = object["Output"] as? String
            guard let test = object["Test"] as? String else {
                if let output { packageOutput[package, default: []].append(output) }
                if ["pass", "fail", "skip"].contains(action) { packageAction[package] = action }
                continue
            }
            let key = "\(package)::\(test)"
            if tests[key] == nil {
                order.append(key)
                tests[key] = Test()
            }
            if let output { tests[key]?.output.append(output) }
            if ["pass", "fail", "skip"].contains(action) { tests[key]?.action = action }
        }
        if !sawEvent && !data.isEmpty {
            throw ForgeError(.io, "not a `go test -json` report: no line is a test2json event",
                             hint: "make the profile's test command run `go test -json`")
        }
        var cases: [TestReport.Case] = []
        var failedPackages: Set<String> = []
        for key in order {
            guard let test = tests[key] else { continue }
            let logged = test.output.flatMap { $0.split(separator: "\n").map(String.init) }.filter(isLogLine)
            let details = logged.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            let message = logged.first?.trimmingCharacters(in: .whitespaces)
            switch test.action {
            case "pass": cases.append(.init(name: key, outcome: .passed))
            case "skip": cases.append(.init(name: key, outcome: .skipped, message: message))
            case "fail":
                failedPackages.insert(String(key.prefix { $0 != ":" }))
                cases.append(.init(name: key, outcome: .failed, message: capped(message ?? "the test failed", JUnitReportParser.messageLimit),
                                   details: details.isEmpty ? nil : capped(details, JUnitReportParser.detailsLimit)))
            default:
                failedPackages.insert(String(key.prefix { $0 != ":" }))
                cases.append(.init(name: key, outcome: .error, message: "the test never finished (killed, or the package's run ended early)",
                                   details: details.isEmpty ? nil : capped(details, JUnitReportParser.detailsLimit)))
            }
        }
        for (package, action) in packageAction.sorted(by: { $0.key < $1.key }) where action == "fail" && !failedPackages.contains(package) {
            let lines = (packageOutput[package] ?? []).joined().split(separator: "\n").map(String.init)
            let text = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            let message = lines.first { !$0.hasPrefix("FAIL") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
                ?? "the package's tests failed without a failing test"
            cases.append(.init(name: package, outcome: .error, message: capped(message, JUnitReportParser.messageLimit),
                               details: text.isEmpty ? nil : capped(text, JUnitReportParser.detailsLimit)))
        }
        return cases
    }

    /// A line the test printed itself, not the runner's `=== RUN` / `--- FAIL:` framing.
    private static func isLogLine(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return false }
        for prefix in ["=== RUN", "=== PAUSE", "=== CONT", "=== NAME", "--- PASS:", "--- FAIL:", "--- SKIP:"] where trimmed.hasPrefix(prefix) {
            return false
        }
        return true
    }

    private static func capped(_ text: String, _ limit: Int) -> String {
        JUnitReportParser.cap(text, limit, keepingTail: limit == JUnitReportParser.detailsLimit)
    }
}
