import ArgumentParser
import Foundation

/// How much a run may spend: shared by `build` and `resume`. Every budget is checked before the
/// step that could exceed it, so the run stops inside it.
struct BudgetOptions: ParsableArguments {
    @Option(name: .customLong("max-iterations"), help: "Fix iterations allowed after the first test run (default: config, else 4; resume: the run's own).")
    var maxIterations: Int?

    @Option(name: .customLong("token-budget"), help: "Stop before a model call that could push the run past this many tokens.")
    var tokenBudget: Int?

    @Option(name: .customLong("cost-budget"), help: ArgumentHelp("Stop before a model call that could push the run past this many US dollars (needs prices: see README, Providers).", valueName: "usd"))
    var costBudget: Double?

    @Option(name: .customLong("time-budget"), help: ArgumentHelp("Stop starting new work after this long: 90s, 20m, 1h, or plain seconds.", valueName: "duration"))
    var timeBudget: String?

    @Option(name: .customLong("fresh-samples"), help: ArgumentHelp("When the first code fails an example stated in the spec, draw up to this many answers from the spec alone and keep the one that passes most examples (default 4; 1 = only the greedy answer).", valueName: "n"))
    var freshSamples: Int?

    @Option(name: .customLong("fix-samples"), help: ArgumentHelp("While an example stated in the spec still fails after a fix, sample up to this many fixes in that iteration, test each, and keep the best (default 3; 1 = one fix per iteration).", valueName: "n"))
    var fixSamples: Int?

    @Flag(name: .customLong("cross-check"), inversion: .prefixedNo,
          help: "Check the code against answers drawn from the spec alone, by how they behave on the tests' inputs and neighbours of them; when they differ, draw more and keep the version most answers agree with (--fresh-samples caps the draws; a vote still split after them gets up to as many tie-breakers).")
    var crossCheck = true

    func validate() throws {
        if let freshSamples, freshSamples < 1 { throw ValidationError("--fresh-samples must be 1 or more") }
        if let fixSamples, fixSamples < 1 { throw ValidationError("--fix-samples must be 1 or more") }
        if let maxIterations, maxIterations < 0 { throw ValidationError("--max-iterations must be 0 or more") }
        if let tokenBudget, tokenBudget <= 0 { throw ValidationError("--token-budget must be positive") }
        if let costBudget, costBudget <= 0 { throw ValidationError("--cost-budget must be positive") }
        if let timeBudget, Self.seconds(timeBudget) == nil {
            throw ValidationError("--time-budget '\(timeBudget)' is not a duration: use e.g. 90s, 20m, 1h or 600")
        }
    }

    var timeBudgetSeconds: Double? { timeBudget.flatMap(Self.seconds) }

    /// `90s`, `20m`, `1h`, `1.5h` or plain seconds.
    static func seconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            if let value = Double(trimmed.dropLast(suffix.count)), value > 0 { return value * factor }
        }
        if let value = Double(trimmed), value > 0 { return value }
        return nil
    }
}
