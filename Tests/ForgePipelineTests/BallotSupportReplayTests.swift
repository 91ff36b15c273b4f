import ForgeCore
import ForgeGit
import ForgeLLM
import ForgePipeline
import Foundation
import Testing

/// A recorded bench task where two versions tie on everything the ballot weighs before support.
extension LoopReplayTests {
    /// HumanEval_76's spec as the bench gives it (from the dev set; its hidden tests stay out of here).
    static let simplePowerSpec = try! String(contentsOf: cassettes.appendingPathComponent("humaneval-76-support.spec.md"), encoding: .utf8)

    /// Recorded from the local model on HumanEval_76, with the first code of the dev-set run that
    /// failed the hidden tests: it fails a spec example, so forge draws eight answers. Draws 2 and 5
    /// both pass every example and test and differ only where n is 0 or 1; draw 2 (`n <= 1` is
    /// False) was kept for being earlier, and `is_simple_power(1, 1)` is True. The other versions'
    /// answers where the two differ now decide, and side with draw 5.
    @Test func twoVersionsEvenOnEverythingElseAreDecidedByTheOtherVersionsAnswersWhereTheyDiffer() async throws {
        // Two draws loop forever where n is 1; 10 s cuts them as surely as the 30 s a run allows.
        let run = try await run("humaneval-76-support", PipelineSettings(spec: Self.simplePowerSpec, crossCheck: true, drawTimeout: 10, fixSamples: 3))
        defer { run.repo.remove() }
        #expect(run.outcome.status == .passed, "\(run.outcome.stopReason)")
        #expect(run.outcome.stopReason == "tests pass; unconfirmed: none of the other 8 versions behaves like the one kept")
        let fix = try #require(run.log.last)
        #expect(fix.summary == "forge(fix): fresh start: solution.py from the spec alone (draw 5 of 8)")
        #expect(fix.message.contains("- draw 2: 12 passed, 0 failed; 6 of 6 spec examples pass"), "\(fix.message)")
        #expect(fix.message.contains("- draw 5: 12 passed, 0 failed; 6 of 6 spec examples pass"), "\(fix.message)")
        #expect(fix.message.contains("Kept draw 5 over draw 2, by the other versions' answers where they differ: 7 side with draw 5, 6 with draw 2"),
                "\(fix.message)")
        let code = try run.file("solution.py")
        #expect(code.contains("if n <= 1:\n        return x == 1"), "\(code)")
        #expect(run.replay.unusedInteractions().isEmpty)
    }
}
