import ForgeCore
import Testing

@Suite struct TestReportTests {
    @Test func zeroTestsIsNotAPass() {
        let report = TestReport(cases: [], termination: .exited(5))
        #expect(!report.allPassed)
        #expect(report.summary.contains("no tests ran"))
    }

    @Test func onlySkipsIsNotAPass() {
        let report = TestReport(cases: [.init(name: "t::a", outcome: .skipped)], termination: .exited(0))
        #expect(!report.allPassed)
    }

    @Test func timeoutIsNotAPassEvenWithGreenCases() {
        let report = TestReport(cases: [.init(name: "t::a", outcome: .passed)], termination: .timedOut(seconds: 30))
        #expect(!report.allPassed)
        #expect(report.summary.contains("timed out"))
    }

    @Test func greenRun() {
        let report = TestReport(
            cases: [.init(name: "t::a", outcome: .passed), .init(name: "t::b", outcome: .passed)],
            termination: .exited(0))
        #expect(report.allPassed)
        #expect(report.trailerValue == "2 passed, 0 failed")
    }

    @Test func errorsCountAsFailuresInTheTrailer() {
        let report = TestReport(
            cases: [.init(name: "a", outcome: .passed), .init(name: "b", outcome: .failed, message: "assert 1 == 2"),
                    .init(name: "c", outcome: .error)],
            termination: .exited(1))
        #expect(!report.allPassed)
        #expect(report.trailerValue == "1 passed, 2 failed")
        #expect(report.failures.map(\.name) == ["b", "c"])
    }
}
