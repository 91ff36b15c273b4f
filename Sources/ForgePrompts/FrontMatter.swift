import ForgeCore
import Foundation

/// The `---`-fenced header of a template file: `key: value` lines naming the role, the variant, the
/// output schema and a one-line description.
///
/// Keys are checked strictly (unknown keys are errors) so a typo such as `shema:` fails loudly
/// instead of silently dropping the schema.
struct FrontMatter {
    var role: String
    var variant: String
    var schema: String?
    var description: String
    var body: String
    /// The file line the body starts on (1-based).
    var bodyLine: Int

    static let knownKeys: Set<String> = ["role", "variant", "schema", "description"]

    init(text: String, file: String) throws {
        func failure(_ what: String) -> ForgeError {
            ForgeError(.config, "\(file): \(what)",
                       hint: "a template starts with front matter: ---, then role:, variant:, description: "
                           + "(and schema: when the answer has one), then ---")
        }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        // An editor's byte-order mark before the first --- is not a missing front matter.
        guard let first = lines.first, first.replacingOccurrences(of: "\u{FEFF}", with: "").trimmed == "---" else {
            throw failure("no front matter: the first line must be ---")
        }
        guard let close = lines.indices.dropFirst().first(where: { lines[$0].trimmed == "---" }) else {
            throw failure("the front matter is not closed by a --- line")
        }
        var values: [String: String] = [:]
        for index in 1 ..< close {
            let line = lines[index].trimmed
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw failure("line \(index + 1): expected key: value, found '\(line)'")
            }
            let key = line[..<colon].trimmed
            var value = line[line.index(after: colon)...].trimmed
            if value.count >= 2, let quote = value.first, quote == "\"" || quote == "'", value.last == quote {
                value = String(value.dropFirst().dropLast())
            }
            guard Self.knownKeys.contains(key) else {
                throw failure("line \(index + 1): unknown key '\(key)' (known: \(Self.knownKeys.sorted().joined(separator: ", ")))")
            }
            guard values[key] == nil else { throw failure("line \(index + 1): '\(key)' is given twice") }
            values[key] = value
        }
        for key in ["role", "variant", "description"] where (values[key] ?? "").isEmpty {
            throw failure("the front matter has no \(key):")
        }
        for key in ["role", "variant", "schema"] {
            if let value = values[key], !Self.isName(value) {
                throw failure("\(key) '\(value)' must be letters, digits, '-', '_' or '.'")
            }
        }
        role = values["role"]!
        variant = values["variant"]!
        schema = values["schema"].flatMap { $0.isEmpty ? nil : $0 }
        description = values["description"]!
        body = lines[(close + 1)...].joined(separator: "\n")
        bodyLine = close + 2
    }

    /// Role, variant and schema names go into trailers and paths: keep them plain.
    static func isName(_ value: String) -> Bool {
        !value.isEmpty && !value.hasPrefix(".") && value.unicodeScalars.allSatisfy {
            ("a" ... "z").contains($0) || ("A" ... "Z").contains($0) || ("0" ... "9").contains($0)
                || $0 == "-" || $0 == "_" || $0 == "."
        }
    }
}

extension StringProtocol {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
