import ForgeCore
import Foundation
internal import Mustache

/// A template body cut at its `[system]` and `[user]` marker lines, each part parsed as Mustache.
///
/// The body is cut before rendering, not after, so that a value rendered into the prompt (a spec, a
/// source file, a test log) that happens to hold a `[user]` line cannot move the split. Each part is
/// parsed with the `CONTENT_TYPE: TEXT` pragma in front: swift-mustache escapes for HTML unless told
/// otherwise, and prompts are full of code whose quotes, `<` and `&` must reach the model as written.
struct PromptSections {
    /// A piece of the body and where it starts in the file.
    struct Part {
        var text: String
        /// The file line of the part's first line (1-based).
        var firstLine: Int
        var template: MustacheTemplate
    }

    /// What comes before `[system]`: only comments (and blank lines) may render there.
    var preamble: Part
    var system: Part
    var user: Part

    static let systemMarker = "[system]"
    static let userMarker = "[user]"
    /// Prefixed to every part; a standalone tag on its own line, so it renders no text or newline.
    static let textPragma = "{{% CONTENT_TYPE: TEXT }}\n"

    init(_ template: PromptTemplate) throws {
        let file = template.source.path
        let lines = template.body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        func markers(_ marker: String) -> [Int] { lines.indices.filter { lines[$0].trimmed == marker } }
        func fileLine(_ index: Int) -> Int { template.bodyLine + index }
        let systemLines = markers(Self.systemMarker)
        let userLines = markers(Self.userMarker)
        let hint = "a template body has one [system] line, then one [user] line, each alone on its line"
        for (marker, found) in [(Self.systemMarker, systemLines), (Self.userMarker, userLines)] {
            if found.isEmpty { throw ForgeError(.config, "\(file): the body has no \(marker) line", hint: hint) }
            if found.count > 1 {
                throw ForgeError(.config, "\(file): \(marker) appears \(found.count) times (lines "
                                     + found.map { String(fileLine($0)) }.joined(separator: ", ") + ")", hint: hint)
            }
        }
        let systemAt = systemLines[0], userAt = userLines[0]
        guard systemAt < userAt else {
            throw ForgeError(.config, "\(file): [user] (line \(fileLine(userAt))) comes before [system] (line \(fileLine(systemAt)))",
                             hint: hint)
        }
        func part(_ range: Range<Int>) throws -> Part {
            let text = lines[range].joined(separator: "\n")
            return Part(text: text, firstLine: fileLine(range.lowerBound),
                        template: try Self.parse(text, file: file, firstLine: fileLine(range.lowerBound)))
        }
        preamble = try part(0 ..< systemAt)
        system = try part(systemAt + 1 ..< userAt)
        user = try part(userAt + 1 ..< lines.count)
    }

    /// Renders the parts with `object` (a `[String: Any]` tree from `PromptValue`).
    ///
    /// - Returns: The system and user texts, without leading or trailing blank lines.
    /// - Throws: `ForgeError(.config)` when the part before `[system]` renders any text.
    func render(_ object: [String: Any], file: String) throws -> (system: String, user: String) {
        let preamble = self.preamble.template.render(object).trimmed
        guard preamble.isEmpty else {
            throw ForgeError(.config, "\(file): text before the [system] line (from line \(self.preamble.firstLine)): '\(preamble.prefix(60))'",
                             hint: "only {{! comments }} may come before [system]; move the text into [system] or [user]")
        }
        return (system.template.render(object).trimmed, user.template.render(object).trimmed)
    }

    /// Parses one part, turning swift-mustache's parser error into one that names the file's line.
    static func parse(_ text: String, file: String, firstLine: Int) throws -> MustacheTemplate {
        do {
            return try MustacheTemplate(string: textPragma + text)
        } catch let error as MustacheTemplate.ParserError {
            // The pragma is line 1 of what was parsed; the part's own first line is line 2.
            let line = firstLine + max(0, error.context.lineNumber - 2)
            let near = error.context.line.trimmed
            throw ForgeError(.config,
                             "\(file): line \(line): \(describe(error.error))" + (near.isEmpty ? "" : " (in: \(near))"),
                             hint: "fix the Mustache tags of the template")
        } catch {
            throw ForgeError(.config, "\(file): \(error)", hint: "fix the Mustache tags of the template")
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect?: "a section is closed with a different name than it was opened with"
        case .unfinishedName?: "a tag is not finished (missing }} or a bad name)"
        case .expectedSectionEnd?: "a section is opened but never closed"
        case .invalidSetDelimiter?: "a set-delimiter tag is malformed"
        case .transformAppliedToInheritanceSection?: "a transform is applied to an inheritance section"
        case .illegalTokenInsideInheritSection?: "an inheritance section holds a tag it cannot hold"
        case .textInsideInheritSection?: "an inheritance section holds text"
        case .invalidConfigVariableSyntax?: "a {{% … }} pragma is malformed"
        case .unrecognisedConfigVariable?: "a {{% … }} pragma names an unknown setting"
        // The reader's internal "overflow": it ran off the end looking for a tag's closing braces.
        case nil where "\(error)" == "overflow": "a tag is not closed (missing }})"
        case nil: "Mustache syntax error (\(error))"
        }
    }
}
