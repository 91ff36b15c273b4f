import ForgeCore

/// What the user asked for on one run: the spec and the budgets.
public struct PipelineSettings: Sendable {
    public var spec: String
    /// Fix iterations allowed after the first code is tested.
    public var maxIterations: Int
    /// Total tokens (prompt + completion) the run may spend; nil = no limit.
    public var tokenBudget: Int?
    /// Where the branch starts; nil = HEAD.
    public var baseRevision: String?
    /// Sampling seed passed to providers that honour one, so reruns are comparable.
    public var seed: Int?
    /// Money the run may spend, in USD, at `prices`; nil = no limit.
    public var costBudget: Double?
    /// What the model costs; nil = free (the local model).
    public var prices: ModelPrices?
    /// Wall-clock seconds the run may take, checked before every model call and fix iteration.
    public var timeBudget: Double?
    /// How many test runs in a row may repeat the same failure before the strategy changes (and,
    /// after the change, before the loop stops as stuck).
    public var stuckAfter: Int
    /// How many answers the fresh start may draw from the spec alone (the first greedy, the rest
    /// sampled) when the first code fails the spec's own examples; 1 = the greedy answer only.
    public var freshSamples: Int
    public static let defaultFreshSamples = 4
    /// How many fixes one iteration may sample while the spec's own examples still fail after the
    /// first: each is tested, sampling stops at the first that passes every example, and the best
    /// one is committed. 1 = one fix per iteration. One here, so a library caller opts in; the
    /// command line defaults to ``defaultFixSamples``.
    public var fixSamples: Int
    public static let defaultFixSamples = 3
    /// Whether answers drawn from the spec alone also check code the tests did not fault, by how
    /// the versions behave on the same inputs (``Behaviour``): a green first code is checked
    /// against one greedy answer, and only when they differ are more drawn and put to a vote. Off
    /// here, so a library caller opts in; the command line turns it on unless `--no-cross-check`.
    public var crossCheck: Bool
    /// Wall-clock seconds the tests of one answer drawn from the spec may run (never more than the
    /// profile's limit); nil = ``drawTimeout(firstRun:)``.
    public var drawTimeout: Double?

    public init(spec: String, maxIterations: Int = 4, tokenBudget: Int? = nil, baseRevision: String? = nil, seed: Int? = 7,
                costBudget: Double? = nil, prices: ModelPrices? = nil, timeBudget: Double? = nil, stuckAfter: Int = 2,
                freshSamples: Int = defaultFreshSamples, crossCheck: Bool = false, drawTimeout: Double? = nil,
                fixSamples: Int = 1) {
        self.spec = spec
        self.maxIterations = maxIterations
        self.tokenBudget = tokenBudget
        self.baseRevision = baseRevision
        self.seed = seed
        self.costBudget = costBudget
        self.prices = prices
        self.timeBudget = timeBudget
        self.stuckAfter = stuckAfter
        self.freshSamples = freshSamples
        self.crossCheck = crossCheck
        self.drawTimeout = drawTimeout
        self.fixSamples = fixSamples
    }

    /// How long a drawn answer's tests may run when the first code's took `firstRun` seconds: ten
    /// times as long, and at least 30 s. A draw that loops forever is common with a small model,
    /// and under the profile's full limit (120 s for Python) each one cost two minutes of nothing;
    /// one ten times slower than the first code is not the version to keep anyway.
    public static func drawTimeout(firstRun: Double) -> Double {
        max(30, 10 * firstRun)
    }

    /// How long the tests of one more answer (a draw, a fix sample) may run when the first code's
    /// took `firstRun` seconds: ``drawTimeout`` when set, else ``drawTimeout(firstRun:)``.
    func answerTimeout(firstRun: Double) -> Double {
        drawTimeout ?? Self.drawTimeout(firstRun: firstRun)
    }
}

/// A model's price in USD per million tokens.
public struct ModelPrices: Sendable, Equatable {
    public var prompt: Double
    public var completion: Double

    public init(prompt: Double, completion: Double) {
        self.prompt = prompt
        self.completion = completion
    }

    public func cost(of usage: Usage) -> Double {
        (Double(usage.promptTokens) * prompt + Double(usage.completionTokens) * completion) / 1_000_000
    }
}

/// What a resumed run may spend, in total (including before the resume); nil keeps the run's own
/// iteration budget and sets no other limit.
public struct ResumeLimits: Sendable {
    public var maxIterations: Int?
    public var tokenBudget: Int?
    public var costBudget: Double?
    public var prices: ModelPrices?
    public var timeBudget: Double?
    /// See ``PipelineSettings/freshSamples``; nil = the default.
    public var freshSamples: Int?
    /// See ``PipelineSettings/crossCheck``.
    public var crossCheck: Bool
    /// See ``PipelineSettings/fixSamples``; nil = 1.
    public var fixSamples: Int?

    public init(maxIterations: Int? = nil, tokenBudget: Int? = nil, costBudget: Double? = nil, prices: ModelPrices? = nil,
                timeBudget: Double? = nil, freshSamples: Int? = nil, crossCheck: Bool = false, fixSamples: Int? = nil) {
        self.maxIterations = maxIterations
        self.tokenBudget = tokenBudget
        self.costBudget = costBudget
        self.prices = prices
        self.timeBudget = timeBudget
        self.freshSamples = freshSamples
        self.crossCheck = crossCheck
        self.fixSamples = fixSamples
    }
}
