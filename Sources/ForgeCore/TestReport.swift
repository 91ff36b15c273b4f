import Foundation

/// What one run of a project's tests showed: per-test outcomes plus how the run itself ended.
///
/// forge's honesty rule lives in ``allPassed``: a run passes only when at least one test ran, none
/// failed or errored, and the run was not cut short. Zero tests collected is a failure, not a pass.
public struct TestReport: Sendable, Codable, Equatable {
    public enum Outcome: String, Sendable, Codable {
        case passed, failed, error, skipped
    }

    public struct Case: Sendable, Codable, Equatable {
        /// `file::Class::test` style name, stable across runs so failures can be compared.
        public var name: String
        public var outcome: Outcome
        /// The failure's one-line message (assertion text), when there is one.
        public var message: String?
        /// The longer failure text (traceback), capped by the parser.
        public var details: String?

        public init(name: String, outcome: Outcome, message: String? = nil, details: String? = nil) {
            self.name = name
            self.outcome = outcome
            self.message = message
            self.details = details
        }
    }

    /// How the test command ended, independent of test outcomes.
    public enum Termination: Sendable, Codable, Equatable {
        case exited(Int32)
        case signalled(Int32)
        case timedOut(seconds: Double)
    }

    public var cases: [Case]
    public var termination: Termination
    /// The command's combined output, capped; `outputTruncated` says when the cap cut it.
    public var output: String
    public var outputTruncated: Bool
    public var durationSeconds: Double
    /// Set when the report could not be read (no JUnit file, compile error): why, for the Analyst.
    public var problem: String?

    public init(cases: [Case], termination: Termination, output: String = "", outputTruncated: Bool = false,
                durationSeconds: Double = 0, problem: String? = nil) {
        self.cases = cases
        self.termination = termination
        self.output = output
        self.outputTruncated = outputTruncated
        self.durationSeconds = durationSeconds
        self.problem = problem
    }

    public var passed: Int { cases.count { $0.outcome == .passed } }
    public var failed: Int { cases.count { $0.outcome == .failed } }
    public var errors: Int { cases.count { $0.outcome == .error } }
    public var skipped: Int { cases.count { $0.outcome == .skipped } }
    /// Tests that ran to an outcome (skips excluded).
    public var executed: Int { passed + failed + errors }

    public var timedOut: Bool {
        if case .timedOut = termination { return true }
        return false
    }

    /// True only when tests ran, all passed, and the run ended on its own.
    public var allPassed: Bool {
        guard executed > 0, failed == 0, errors == 0, problem == nil else { return false }
        if case .exited = termination { return true }
        return false
    }

    /// Failed and errored cases, in report order.
    public var failures: [Case] { cases.filter { $0.outcome == .failed || $0.outcome == .error } }

    /// `<passed> passed, <failed> failed`, the `Forge-Tests:` trailer (errors count as failures).
    public var trailerValue: String { "\(passed) passed, \(failed + errors) failed" }

    /// One line for people: counts plus why the run is not green when counts alone don't say.
    public var summary: String {
        var text = "\(passed) passed, \(failed + errors) failed"
        if skipped > 0 { text += ", \(skipped) skipped" }
        switch termination {
        case .timedOut(let seconds): text += " (timed out after \(Int(seconds))s)"
        case .signalled(let signal): text += " (killed by signal \(signal))"
        case .exited: break
        }
        if executed == 0 && !timedOut { text += " (no tests ran)" }
        if let problem { text += " — \(problem)" }
        return text
    }
}
