import ForgeCore

/// One version of the code the loop has tested: the files a fix may change, and their report.
///
/// Model-written tests are evidence, not truth, and a fix can make things worse; the loop therefore
/// keeps the best candidate seen so far and never trades a better version for a worse one.
struct Candidate {
    /// The run's source and test files (and the test lock) as of this candidate.
    var files: FileSet
    var report: TestReport
    /// The fix iteration that produced it (0: the developer's first code).
    var iteration: Int

    /// Ordered by: all passing; then more of the spec's own examples passing (tests whose names start
    /// with `strong`: they are what the user stated, the rest may be invented); then more tests
    /// passing; then tests that ran to an end (``ranToAnEnd(_:)``); then fewer tests that could not
    /// run (errors: a module that does not import); then fewer failing. On a tie the earlier candidate
    /// stays: churn is not progress.
    func isBetter(than other: Candidate, strong: String?) -> Bool {
        Self.isBetter(report, than: other.report, strong: strong)
    }

    static func isBetter(_ a: TestReport, than b: TestReport, strong: String?) -> Bool {
        if a.allPassed != b.allPassed { return a.allPassed }
        let strongA = examplesPassed(a, strong: strong), strongB = examplesPassed(b, strong: strong)
        if strongA != strongB { return strongA > strongB }
        if a.passed != b.passed { return a.passed > b.passed }
        // Counting failures alone ranked a build failure (one case) above code that builds and fails
        // three tests, and a run cut by the timeout (no cases) above both.
        if ranToAnEnd(a) != ranToAnEnd(b) { return ranToAnEnd(a) }
        if a.errors != b.errors { return a.errors < b.errors }
        return a.failed + a.errors < b.failed + b.errors
    }

    /// Whether the tests ran and the run ended on its own: it built, wrote a report that was read,
    /// was not cut by a limit, and executed at least one test.
    static func ranToAnEnd(_ report: TestReport) -> Bool {
        guard report.problem == nil, report.executed > 0 else { return false }
        if case .exited = report.termination { return true }
        return false
    }

    /// How many of the spec's own examples (tests named with the prefix `strong`) pass in `report`.
    static func examplesPassed(_ report: TestReport, strong: String?) -> Int {
        guard let strong, !strong.isEmpty else { return 0 }
        return report.cases.count { $0.outcome == .passed && $0.name.hasPrefix(strong) }
    }

    /// Tests that passed in `before` and do not pass in `after`.
    static func regressions(from before: TestReport, to after: TestReport) -> [String] {
        let passedBefore = Set(before.cases.filter { $0.outcome == .passed }.map(\.name))
        let passedAfter = Set(after.cases.filter { $0.outcome == .passed }.map(\.name))
        return passedBefore.subtracting(passedAfter).sorted()
    }
}

/// How the fix loop asks for changes.
enum FixStrategy: String {
    /// Targeted fixes guided by the analyst's diagnosis.
    case targeted
    /// After the same failure repeated: the developer rewrites the file whole, differently.
    case rewrite
}
