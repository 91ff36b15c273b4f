import ForgeCore
import Testing
@testable import ForgePipeline

/// The order the fix loop keeps its best version by, when no version passes more tests than another.
@Suite struct CandidateTests {
    private func report(_ outcomes: [(String, TestReport.Outcome)], _ termination: TestReport.Termination = .exited(1),
                        problem: String? = nil) -> TestReport {
        TestReport(cases: outcomes.map { TestReport.Case(name: $0.0, outcome: $0.1) }, termination: termination, problem: problem)
    }

    /// Code that builds and fails three tests against code that does not build (one failure case).
    @Test func codeThatBuildsBeatsCodeThatDoesNot() {
        let builds = report([("Tests.a", .failed), ("Tests.b", .failed), ("Tests.c", .failed)])
        let broken = report([("build", .failed)], problem: "the build failed (exit status 1)")
        #expect(Candidate.isBetter(builds, than: broken, strong: nil))
        #expect(!Candidate.isBetter(broken, than: builds, strong: nil))
    }

    /// A fix that loops forever leaves no cases at all; that is not "fewer failures".
    @Test func testsThatRanBeatARunCutByTheTimeout() {
        let ran = report([("test_m::test_a", .failed), ("test_m::test_b", .failed)])
        let cut = report([], .timedOut(seconds: 120), problem: "the tests timed out after 120s")
        #expect(Candidate.isBetter(ran, than: cut, strong: nil))
        #expect(!Candidate.isBetter(cut, than: ran, strong: nil))
    }

    /// A module that does not import fails each test file once, at collection (HumanEval_26's last
    /// fix): fewer cases, but none of them ran.
    @Test func testsThatRanBeatAModuleThatDoesNotImport() {
        let ran = report([("test_solution::test_a", .failed), ("test_spec_examples::test_spec_example_1", .failed)])
        let broken = report([("test_solution", .error), ("test_spec_examples", .error)], .exited(2))
        let halfBroken = report([("test_solution", .error), ("test_spec_examples::test_spec_example_1", .failed)], .exited(2))
        #expect(Candidate.isBetter(ran, than: broken, strong: "test_spec_examples::"))
        #expect(!Candidate.isBetter(broken, than: ran, strong: "test_spec_examples::"))
        #expect(Candidate.isBetter(ran, than: halfBroken, strong: "test_spec_examples::"))
        #expect(Candidate.isBetter(halfBroken, than: broken, strong: "test_spec_examples::"))
    }

    /// More passing tests still come first: the new tie-breaks only order versions passing as many.
    @Test func morePassingTestsStillComeFirst() {
        let onePasses = report([("test_m::test_a", .passed), ("test_m", .error)], .exited(2))
        let nonePass = report([("test_m::test_a", .failed), ("test_m::test_b", .failed)])
        #expect(Candidate.isBetter(onePasses, than: nonePass, strong: nil))
        #expect(!Candidate.isBetter(nonePass, than: onePasses, strong: nil))
        #expect(!Candidate.isBetter(nonePass, than: nonePass, strong: nil))
    }
}
