import ForgeCore
import Foundation

/// One prompt template file, `Templates/<role>/<variant>.mustache`: its front matter and its body.
///
/// The body is Mustache with two marker lines, `[system]` and `[user]`, that split it into the two
/// chat messages. `hash8` names the exact file text, so a commit's `Forge-Prompt-Variant` trailer
/// (`identifier`) says which version of which variant wrote it, and the bandit can tell a changed
/// variant from the one it has statistics for.
public struct PromptTemplate: Sendable, Equatable {
    /// The agent role: pm, architect, developer, tests, analyst, fix.
    public var role: String
    /// The variant's name; `default` is what `DefaultVariantSelector` picks.
    public var variant: String
    /// The output schema the answer must follow (`prd`, `design`, …), when the role has one.
    public var schema: String?
    /// One sentence on what this variant tries.
    public var description: String
    /// The Mustache text after the front matter.
    public var body: String
    /// The file it was read from.
    public var source: URL
    /// The first 8 hex digits of the SHA-256 of the whole file text.
    public var hash8: String
    /// The file line the body starts on, so errors can name lines of the file.
    public var bodyLine: Int

    /// `<role>/<variant>@<hash8>`, the value of the `Forge-Prompt-Variant:` trailer.
    public var identifier: String { "\(role)/\(variant)@\(hash8)" }

    public init(role: String, variant: String, schema: String? = nil, description: String, body: String,
                source: URL, hash8: String, bodyLine: Int = 1) {
        self.role = role
        self.variant = variant
        self.schema = schema
        self.description = description
        self.body = body
        self.source = source
        self.hash8 = hash8
        self.bodyLine = bodyLine
    }

    /// Parses a template file's text: front matter, body and hash. The body's Mustache and markers
    /// are checked by `TemplateLibrary` and `PromptRenderer`, not here.
    ///
    /// - Parameters:
    ///   - text: The whole file.
    ///   - source: Where it came from; errors name it.
    /// - Throws: `ForgeError(.config, "<file>: <what is wrong>")` for missing or bad front matter.
    public init(text: String, source: URL) throws {
        try self.init(text: text, source: source, hash8: String(SHA256.hex(text).prefix(8)))
    }

    private init(text: String, source: URL, hash8: String) throws {
        let frontMatter = try FrontMatter(text: text, file: source.path)
        self.init(role: frontMatter.role, variant: frontMatter.variant, schema: frontMatter.schema,
                  description: frontMatter.description, body: frontMatter.body, source: source,
                  hash8: hash8, bodyLine: frontMatter.bodyLine)
    }

    /// Reads and parses the template file at `url`.
    ///
    /// - Throws: `ForgeError(.config)` when the file cannot be read as UTF-8 or its front matter is bad.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ForgeError(.config, "\(url.path): cannot read the template (\(error.localizedDescription))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ForgeError(.config, "\(url.path): the template is not UTF-8 text")
        }
        // Hash the bytes on disk, byte-order mark and line endings included: that is the file.
        try self.init(text: text, source: url, hash8: String(SHA256.hex(data).prefix(8)))
    }
}
