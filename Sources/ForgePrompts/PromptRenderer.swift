import ForgeCore
import Foundation

/// A rendered template: the two chat messages and the template they came from.
public struct RenderedPrompt: Sendable, Equatable {
    public var system: String
    public var user: String
    public var template: PromptTemplate

    public init(system: String, user: String, template: PromptTemplate) {
        self.system = system
        self.user = user
        self.template = template
    }
}

/// Renders templates into chat messages.
///
/// Mustache is logic-less on purpose: the template decides the wording, the context only supplies
/// data, so a variant can be rewritten without touching Swift. Values are never HTML-escaped.
/// A name missing from the context renders as nothing, as Mustache specifies.
public struct PromptRenderer: Sendable {
    public init() {}

    /// Renders `template` with `context` into the system and user messages.
    ///
    /// The body is split at its `[system]` and `[user]` marker lines first and each part rendered on
    /// its own, so rendered values cannot move the split (see `PromptSections`).
    ///
    /// - Returns: The system and user messages, each without leading or trailing blank lines.
    /// - Throws: `ForgeError(.config, "<file>: …")` when the body lacks a marker, has them out of
    ///   order, renders text before `[system]`, or is not valid Mustache.
    public func render(_ template: PromptTemplate, context: PromptContext) throws -> RenderedPrompt {
        let object = context.mapValues(\.mustacheValue) as [String: Any]
        let (system, user) = try PromptSections(template).render(object, file: template.source.path)
        return RenderedPrompt(system: system, user: user, template: template)
    }
}
