import ForgeCore
import Foundation

/// What a template sees: named values, nested as Mustache expects.
public typealias PromptContext = [String: PromptValue]

/// A value in a prompt context.
///
/// A closed, Sendable set of cases instead of `[String: Any]`, so contexts can cross concurrency
/// domains and every value has a defined rendering: strings as written, `bool` drives sections,
/// `list` repeats a section per element (`{{.}}` is the element), `object` opens a scope
/// (`{{#design}}{{summary}}{{/design}}` or `{{design.summary}}`).
public indirect enum PromptValue: Sendable, Equatable {
    case string(String)
    case bool(Bool)
    case int(Int)
    case list([PromptValue])
    case object([String: PromptValue])

    /// The value as swift-mustache walks it: Swift strings, booleans, integers, arrays and
    /// `[String: Any]` dictionaries.
    var mustacheValue: Any {
        switch self {
        case .string(let value): value
        case .bool(let value): value
        case .int(let value): value
        case .list(let values): values.map(\.mustacheValue)
        case .object(let values): values.mapValues(\.mustacheValue) as [String: Any]
        }
    }
}

extension PromptValue {
    /// A JSON value (a PRD, a design) as a prompt value: integral numbers become `int`, other numbers
    /// their decimal text, and `null` members and elements are left out so that `{{#key}}` sections
    /// skip them; a `null` on its own becomes `false`, which sections skip too.
    public init(json: JSONValue) {
        switch json {
        case .null: self = .bool(false)
        case .bool(let value): self = .bool(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 { self = .int(Int(value)) }
            else { self = .string(String(value)) }
        case .string(let value): self = .string(value)
        case .array(let values): self = .list(values.filter { $0 != .null }.map(PromptValue.init(json:)))
        case .object(let members): self = .object(members.filter { $0.value != .null }.mapValues(PromptValue.init(json:)))
        }
    }
}

extension PromptValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension PromptValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension PromptValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self = .int(value) }
}

extension PromptValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: PromptValue...) { self = .list(elements) }
}

extension PromptValue: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, PromptValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
