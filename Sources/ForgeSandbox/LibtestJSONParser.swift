import ForgeCore
import Foundation

/// Reads Rust's libtest JSON events (`cargo test -- -Z unstable-options --format json`), one JSON
/// object per line, into test cases.
///
/// libtest's human output has no stable grammar and its JUnit writer prints one document per test
/// binary into the same stream; the JSON events are one line each, so the output of every test
/// binary (unit, integration, doc tests) concatenates cleanly. `--format json` is unstable, so the
/// profile sets `RUSTC_BOOTSTRAP=1` for the test binaries to accept it on a stable toolchain.
/// A failed test's message is its panic message (the line after `panicked at …:`), its details the
/// captured output.
public enum LibtestJSONParser {
    /// - Throws: `ForgeError(.io)` when no line is a libtest event (the file is not such a report).
    public static func parse(_ data: Data) throws -> [TestReport.Case] {
        var cases: [TestReport.Case] = []
        var sawEvent = false
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard line.first == UInt8(ascii: "{"),
                  let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                  let type = object["type"] as? String else { continue }
            sawEvent = true
            guard type == "test", let name = object["name"] as? String, let event = object["event"] as? String else { continue }
            let stdout = object["stdout"] as? String
            switch event {
            case "ok":
                cases.append(.init(name: name, outcome: .passed))
            case "ignored":
                cases.append(.init(name: name, outcome: .skipped, message: object["message"] as? String))
            case "failed", "timeout":
                let message = stdout.flatMap(panicMessage) ?? (event == "timeout" ? "the test timed out" : "the test failed")
                let details = stdout?.trimmingCharacters(in: .whitespacesAndNewlines)
                cases.append(.init(name: name, outcome: .failed,
                                   message: JUnitReportParser.cap(message, JUnitReportParser.messageLimit),
                                   details: details.flatMap { $0.isEmpty ? nil : JUnitReportParser.cap($0, JUnitReportParser.detailsLimit, keepingTail: true) }))
            default:
                break  // "started"
            }
        }
        if !sawEvent && !data.isEmpty {
            throw ForgeError(.io, "not a libtest JSON report: no line is a libtest event",
                             hint: "make the profile's test command pass `-Z unstable-options --format json` to the test binaries")
        }
        return cases
    }

    /// The panic's message: the lines after `thread '…' panicked at <location>:` up to the backtrace
    /// note, joined (an `assert_eq!` message spans three lines: the assertion, left, right).
    static func panicMessage(_ stdout: String) -> String? {
        let lines = stdout.split(separator: "\n").map(String.init)
        guard let start = lines.firstIndex(where: { $0.contains("panicked at") }) else { return nil }
        var message: [String] = []
        let panicLine = lines[start]
        // Older toolchains put the message on the same line: "panicked at 'boom', src/lib.rs:3:5".
        if let quote = panicLine.range(of: "panicked at '"), let end = panicLine.range(of: "', ", options: .backwards),
           quote.upperBound <= end.lowerBound {
            message.append(String(panicLine[quote.upperBound..<end.lowerBound]))
        }
        for line in lines[(start + 1)...] {
            if line.hasPrefix("note:") || line.hasPrefix("stack backtrace:") || line.hasPrefix("thread '") { break }
            message.append(line.trimmingCharacters(in: .whitespaces))
        }
        let text = message.filter { !$0.isEmpty }.joined(separator: "; ")
        return text.isEmpty ? nil : text
    }
}
