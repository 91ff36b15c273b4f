import ForgeCore
import Foundation

extension Pipeline {
    /// One fix of an iteration, tested: what it changed, the candidate it makes, and its report.
    struct FixSample {
        var number: Int
        var temperature: Double
        var changes: FileSet
        var files: FileSet
        var writes: FileSet
        var report: TestReport
        /// Tests that passed before the fix and fail after it.
        var broken: [String]
    }

    /// Samples more fixes of `path` after `first` left one of the spec's own examples failing, up to
    /// `settings.fixSamples` in all, and returns the one to commit with a line per sample for the
    /// commit body.
    ///
    /// On the bench the analyst often names the bug and the one fix the model then writes misses
    /// it (HumanEval_26: three iterations each kept the first of every repeated number, though the
    /// example says to drop them); sampled again at temperature 0.7 from the same prompt, about one
    /// fix in four got it right. The spec's example is what tells the right sample apart, so
    /// sampling is only for that case: against the model's own tests, which may be wrong, more
    /// samples would only chase them. Sampling stops at the first fix that passes every example
    /// without breaking a test that passed; otherwise the best sample is kept by the loop's own
    /// order (``Candidate/isBetter(_:than:strong:)``: the spec's examples first), one that breaks
    /// nothing winning a tie, the first on a tie still. A kept sample that breaks a test is then
    /// treated as any such fix: committed, the next iteration starts from the version before it,
    /// and it stays the best version if it is.
    func sampleFixes(after first: FixSample, path: String, base: Candidate, tipReport: TestReport?, iteration: Int,
                     settings: PipelineSettings, state: inout RunState,
                     fix: (Sampling, String) async throws -> String?) async throws -> (FixSample, [String]) {
        var samples = [first]
        var lines = [line(first)]
        let timeout = settings.answerTimeout(firstRun: base.report.durationSeconds)
        for number in stride(from: 2, through: settings.fixSamples, by: 1) {
            try Task.checkCancellation()
            let sampling = Sampling(temperature: Self.fixSampleTemperature, seed: settings.seed.map { $0 + iteration - 1 + 100 * (number - 1) })
            let code: String?
            do {
                code = try await fix(sampling, "fixing \(path) again (sample \(number) of \(settings.fixSamples), temperature \(Self.fixSampleTemperature))")
            } catch is BudgetExhausted {
                // What was sampled so far is still worth its commit; the loop stops on the budget next.
                lines.append("- sample \(number): not drawn, the budget is spent")
                break
            }
            guard let code else { lines.append("- sample \(number): unusable answer"); continue }
            if code == base.files.text(path) { lines.append("- sample \(number): \(path) as it was"); continue }
            if let same = samples.first(where: { $0.changes.text(path) == code }) {
                lines.append("- sample \(number): the same as sample \(same.number)")
                continue
            }
            var changes = FileSet()
            try changes.set(path, text: code)
            let files = base.files.merging(changes)
            // Each test leaves its report as the tip's; the tip is still the one before the fix.
            state.lastReport = tipReport
            let (writes, report) = try await test(candidate: files, iteration: iteration, state: &state, timeoutSeconds: timeout)
            let sample = FixSample(number: number, temperature: Self.fixSampleTemperature, changes: changes, files: files, writes: writes,
                                   report: report, broken: Candidate.regressions(from: base.report, to: report))
            samples.append(sample)
            lines.append(line(sample))
            if keepsToTheSpecExamples(report), sample.broken.isEmpty { break }
        }
        let chosen = samples.dropFirst().reduce(samples[0]) { kept, sample in isPreferred(sample, over: kept) ? sample : kept }
        state.lastReport = chosen.report
        if samples.count > 1 { lines.append("Kept sample \(chosen.number).") }
        return (chosen, lines)
    }

    /// How the extra fixes of an iteration sample: as far from the first as a rewrite goes.
    static let fixSampleTemperature = 0.7

    /// The better report; on a tie, the sample that breaks no test that passed. Breaking first
    /// would throw away a sample that passes the spec's example for one that fails it, where the
    /// broken test may be one of the model's wrong ones.
    private func isPreferred(_ sample: FixSample, over kept: FixSample) -> Bool {
        if Candidate.isBetter(sample.report, than: kept.report, strong: strongEvidencePrefix) { return true }
        if Candidate.isBetter(kept.report, than: sample.report, strong: strongEvidencePrefix) { return false }
        return sample.broken.isEmpty && !kept.broken.isEmpty
    }

    /// "- sample 2 (temperature 0.7): 2 passed, 0 failed; 1 of 1 spec examples pass".
    private func line(_ sample: FixSample) -> String {
        let changed = sample.changes.isEmpty ? "changed nothing" : CommitMessage.oneLine(sample.report.summary, limit: 160)
        let broke = sample.broken.isEmpty ? "" : "; breaks \(sample.broken.prefix(2).joined(separator: ", "))"
        return "- sample \(sample.number) (temperature \(sample.temperature)): \(changed)\(examplesNote(sample.report))\(broke)"
    }
}
