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

    public init(spec: String, maxIterations: Int = 4, tokenBudget: Int? = nil, baseRevision: String? = nil, seed: Int? = 7) {
        self.spec = spec
        self.maxIterations = maxIterations
        self.tokenBudget = tokenBudget
        self.baseRevision = baseRevision
        self.seed = seed
    }
}
