import ForgeCore

/// Counts the run's tokens and enforces its token budget *before* each model call: a call is only
/// made when its worst case (estimated prompt plus the call's completion cap) still fits, so the
/// budget is never exceeded rather than noticed afterwards.
actor UsageLedger {
    private(set) var total = Usage.zero
    /// Usage since the last ``takeSegment()``: what the next commit's `Forge-Tokens` trailer reports.
    private var segment = Usage.zero
    let budget: Int?

    /// - Parameter spent: usage from before a resume, which counts against the budget too.
    init(budget: Int?, spent: Usage = .zero) {
        self.budget = budget
        total = spent
    }

    /// Reserves room for a call. Prompt size is estimated at 3 characters per token, which
    /// over-counts for English and code, erring toward stopping early.
    /// - Throws: ``BudgetExhausted`` when the call might not fit.
    func reserve(promptCharacters: Int, maxCompletionTokens: Int) throws {
        guard let budget else { return }
        let worstCase = promptCharacters / 3 + maxCompletionTokens
        if total.totalTokens + worstCase > budget {
            throw BudgetExhausted(used: total.totalTokens, budget: budget, needed: worstCase)
        }
    }

    func add(_ usage: Usage) {
        total += usage
        segment += usage
    }

    func takeSegment() -> Usage {
        defer { segment = .zero }
        return segment
    }
}

/// The token budget would be exceeded by the next call; the run stops with tests in their last state.
struct BudgetExhausted: Error, CustomStringConvertible {
    var used: Int
    var budget: Int
    var needed: Int
    var description: String {
        "token budget spent (\(used) of \(budget) used; the next call could need \(needed))"
    }
}
