/// Chooses which variant of a role's template a stage uses.
///
/// A seam so the bandit (a later issue) can replace the fixed choice: it sees the role and its
/// variants and returns one of them.
public protocol VariantSelector: Sendable {
    /// - Parameter variants: The role's variants, sorted by name; never empty.
    func select(role: String, from variants: [PromptTemplate]) -> PromptTemplate
}

/// Picks the variant named `default`, else the first by name: the same choice every run.
public struct DefaultVariantSelector: VariantSelector {
    public init() {}

    public func select(role: String, from variants: [PromptTemplate]) -> PromptTemplate {
        precondition(!variants.isEmpty, "no variants to select from for role \(role)")
        return variants.first { $0.variant == "default" } ?? variants[0]
    }
}
