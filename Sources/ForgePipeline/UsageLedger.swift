import ForgeCore
import Foundation

/// Counts the run's tokens, money and time, and enforces its budgets *before* each model call: a
/// call is only made when its worst case (estimated prompt plus the call's completion cap) still
/// fits, so a budget is never exceeded rather than noticed afterwards.
actor UsageLedger {
    private(set) var total = Usage.zero
    /// Usage since the last ``takeSegment()``: what the next commit's `Forge-Tokens` trailer reports.
    private var segment = Usage.zero
    let budget: Int?
    let costBudget: Double?
    let prices: ModelPrices?
    let timeBudget: Double?
    let started: Date
    /// Seconds already spent before a resume, which count against the time budget too.
    let earlierSeconds: Double

    /// - Parameter spent: usage from before a resume, which counts against the budget too.
    init(budget: Int?, spent: Usage = .zero, costBudget: Double? = nil, prices: ModelPrices? = nil,
         timeBudget: Double? = nil, earlierSeconds: Double = 0, started: Date = Date()) {
        self.budget = budget
        total = spent
        self.costBudget = costBudget
        self.prices = prices
        self.timeBudget = timeBudget
        self.earlierSeconds = earlierSeconds
        self.started = started
    }

    var cost: Double { prices?.cost(of: total) ?? 0 }

    var elapsed: Double { earlierSeconds + Date().timeIntervalSince(started) }

    /// Reserves room for a call. Prompt size is estimated at 3 characters per token, which
    /// over-counts for English and code, erring toward stopping early.
    /// - Throws: ``BudgetExhausted`` when the call might not fit.
    func reserve(promptCharacters: Int, maxCompletionTokens: Int) throws {
        try checkTime()
        let worstCase = Usage(promptTokens: promptCharacters / 3, completionTokens: maxCompletionTokens)
        if let budget, total.totalTokens + worstCase.totalTokens > budget {
            throw BudgetExhausted(.tokens, "token budget spent (\(total.totalTokens) of \(budget) used; the next call could need \(worstCase.totalTokens))")
        }
        if let costBudget, let prices, prices.cost(of: total + worstCase) > costBudget {
            throw BudgetExhausted(.cost, String(format: "cost budget spent ($%.4f of $%.4f used; the next call could cost $%.4f)",
                                               prices.cost(of: total), costBudget, prices.cost(of: worstCase)))
        }
    }

    /// - Throws: ``BudgetExhausted`` when the wall-clock budget is used up.
    func checkTime() throws {
        if let timeBudget, elapsed >= timeBudget {
            throw BudgetExhausted(.time, "time budget spent (\(Int(elapsed))s of \(Int(timeBudget))s)")
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

/// A budget would be exceeded by the next step; the run stops with tests in their best state.
struct BudgetExhausted: Error, CustomStringConvertible {
    enum Kind { case tokens, cost, time }
    var kind: Kind
    var description: String

    init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
