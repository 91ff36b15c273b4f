/// Tokens spent by one or more model calls.
public struct Usage: Sendable, Codable, Equatable, Hashable {
    public var promptTokens: Int
    public var completionTokens: Int

    public init(promptTokens: Int = 0, completionTokens: Int = 0) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    public static let zero = Usage()

    public var totalTokens: Int { promptTokens + completionTokens }

    public static func + (lhs: Usage, rhs: Usage) -> Usage {
        Usage(promptTokens: lhs.promptTokens + rhs.promptTokens,
              completionTokens: lhs.completionTokens + rhs.completionTokens)
    }

    public static func += (lhs: inout Usage, rhs: Usage) { lhs = lhs + rhs }

    /// `prompt+completion`, the form of the `Forge-Tokens:` trailer.
    public var trailerValue: String { "\(promptTokens)+\(completionTokens)" }
}
