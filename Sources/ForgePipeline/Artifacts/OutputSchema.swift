import ForgeCore

/// A JSON schema a stage's answer must match. Sent to providers that constrain output with it, and
/// checked here for every provider, because constrained decoding is not universal and a replayed or
/// remote answer may still be wrong.
///
/// The checker understands the subset forge's schemas use: `type` (object, array, string, number,
/// integer, boolean), `properties`, `required`, `items`, `minItems`. Unknown keys in an answer are
/// allowed; missing required keys and wrong types are not.
public struct OutputSchema: Sendable, Equatable {
    public var name: String
    public var json: JSONValue

    public init(name: String, json: JSONValue) {
        self.name = name
        self.json = json
    }

    /// The required top-level keys, for repair prompts ("reply with keys a, b, c").
    public var requiredKeys: [String] {
        (json["required"]?.arrayValue ?? []).compactMap(\.stringValue)
    }

    /// Every way `value` breaks the schema, as `path: problem` lines; empty when it conforms.
    public func violations(of value: JSONValue) -> [String] {
        var problems: [String] = []
        check(value, against: json, at: "$", into: &problems)
        return problems
    }

    private func check(_ value: JSONValue, against schema: JSONValue, at path: String, into problems: inout [String]) {
        if let type = schema["type"]?.stringValue, !matches(value, type: type) {
            problems.append("\(path): expected \(type), found \(value.typeName)")
            return
        }
        if case .object(let object) = value {
            for key in (schema["required"]?.arrayValue ?? []).compactMap(\.stringValue) where object[key] == nil {
                problems.append("\(path): missing key '\(key)'")
            }
            for (key, propertySchema) in schema["properties"]?.objectValue ?? [:] {
                if let child = object[key] { check(child, against: propertySchema, at: "\(path).\(key)", into: &problems) }
            }
        }
        if case .array(let items) = value {
            if case .number(let minimum) = schema["minItems"], Double(items.count) < minimum {
                problems.append("\(path): expected at least \(Int(minimum)) item(s), found \(items.count)")
            }
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() { check(item, against: itemSchema, at: "\(path)[\(index)]", into: &problems) }
            }
        }
    }

    private func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("number", .number), ("null", .null):
            true
        case ("integer", .number(let number)):
            number.rounded() == number
        default:
            false
        }
    }
}
