import ForgeCore
import Foundation

/// Every prompt template forge can use: the built-in `Templates/` folder with a repository's
/// `.forge/templates/` laid over it.
///
/// Loading checks every file up front (front matter, markers, Mustache syntax), so a broken template
/// fails `forge build` before any model is called, with the file and line to fix.
public struct TemplateLibrary: Sendable {
    /// role → variant → template.
    private var templates: [String: [String: PromptTemplate]] = [:]

    /// Loads `builtIn/<role>/<variant>.mustache`, then `overrides` in the same layout: a template
    /// with the same role and variant replaces the built-in one, a new variant (or role) adds to it.
    ///
    /// - Parameters:
    ///   - builtIn: The `Templates/` folder that ships with forge.
    ///   - overrides: A repository's `.forge/templates/`; nil or a missing folder adds nothing.
    /// - Throws: `ForgeError(.config, "<file>: <what is wrong>")` for the first bad template, or when
    ///   `builtIn` is not a folder.
    public init(builtIn: URL, overrides: URL? = nil) throws {
        guard Self.isDirectory(builtIn) else {
            throw ForgeError(.config, "\(builtIn.path): the prompt templates folder does not exist",
                             hint: "set FORGE_RESOURCES to the folder holding Templates/ and Sandboxes/")
        }
        for template in try Self.load(builtIn) { add(template) }
        if let overrides {
            if FileManager.default.fileExists(atPath: overrides.path) {
                guard Self.isDirectory(overrides) else {
                    throw ForgeError(.config, "\(overrides.path): is a file, expected a folder of <role>/<variant>.mustache templates")
                }
                for template in try Self.load(overrides) { add(template) }
            }
        }
    }

    /// A library of the given templates, for tests and tools that build templates in memory; a later
    /// template with the same role and variant replaces an earlier one.
    public init(templates: [PromptTemplate]) {
        for template in templates { add(template) }
    }

    private mutating func add(_ template: PromptTemplate) {
        templates[template.role, default: [:]][template.variant] = template
    }

    /// The roles that have at least one variant, sorted.
    public func roles() -> [String] { templates.keys.sorted() }

    /// The role's variants sorted by variant name; empty for an unknown role.
    public func variants(for role: String) -> [PromptTemplate] {
        (templates[role] ?? [:]).values.sorted { $0.variant < $1.variant }
    }

    /// The template for `role` and `variant`.
    ///
    /// - Throws: `ForgeError(.config)` naming what exists when there is no such template.
    public func template(role: String, variant: String) throws -> PromptTemplate {
        if let template = templates[role]?[variant] { return template }
        let hint = "add Templates/\(role)/\(variant).mustache or .forge/templates/\(role)/\(variant).mustache"
        guard let variants = templates[role] else {
            throw ForgeError(.config, "no prompt templates for role '\(role)'; roles with templates: "
                                 + (roles().isEmpty ? "none" : roles().joined(separator: ", ")), hint: hint)
        }
        throw ForgeError(.config, "no prompt template \(role)/\(variant); \(role) has: "
                             + variants.keys.sorted().joined(separator: ", "), hint: hint)
    }

    /// The variant `selector` picks for `role`.
    ///
    /// - Throws: `ForgeError(.config)` when the role has no templates.
    public func select(role: String, using selector: any VariantSelector) throws -> PromptTemplate {
        let variants = self.variants(for: role)
        guard !variants.isEmpty else { return try template(role: role, variant: "default") }
        return selector.select(role: role, from: variants)
    }

    // MARK: - Loading

    /// Every `<role>/<variant>.mustache` under `root`, checked. Files that are not `.mustache` are
    /// skipped (a README may sit beside them); a `.mustache` file anywhere else is an error, because
    /// it would otherwise be ignored silently.
    static func load(_ root: URL) throws -> [PromptTemplate] {
        let fm = FileManager.default
        var found: [PromptTemplate] = []
        let entries = try contents(of: root)
        for entry in entries where entry.pathExtension == "mustache" && !isDirectory(entry) {
            throw misplaced(entry, root: root)
        }
        for roleFolder in entries where isDirectory(roleFolder) {
            for file in try contents(of: roleFolder) where file.pathExtension == "mustache" {
                guard !isDirectory(file) else { throw misplaced(file, root: root) }
                let template = try PromptTemplate(contentsOf: file)
                let role = roleFolder.lastPathComponent, variant = file.deletingPathExtension().lastPathComponent
                guard template.role == role, template.variant == variant else {
                    throw ForgeError(.config,
                                     "\(file.path): the front matter says \(template.role)/\(template.variant) "
                                         + "but the file is \(role)/\(variant).mustache",
                                     hint: "make role: and variant: match the folder and file name")
                }
                try check(template)
                found.append(template)
            }
            for nested in try contents(of: roleFolder) where isDirectory(nested) {
                if let stray = fm.enumerator(at: nested, includingPropertiesForKeys: nil)?
                    .compactMap({ $0 as? URL }).first(where: { $0.pathExtension == "mustache" }) {
                    throw misplaced(stray, root: root)
                }
            }
        }
        return found
    }

    /// Parses and renders the body with an empty context, the way rendering will, so syntax and
    /// marker errors surface at load time.
    static func check(_ template: PromptTemplate) throws {
        _ = try PromptSections(template).render([:], file: template.source.path)
    }

    private static func misplaced(_ file: URL, root: URL) -> ForgeError {
        ForgeError(.config, "\(file.path): a template must be at <role>/<variant>.mustache directly under \(root.path)",
                   hint: "move it, or rename it so it does not end in .mustache")
    }

    private static func contents(of folder: URL) throws -> [URL] {
        do {
            return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: [.isDirectoryKey])
                .filter { !$0.lastPathComponent.hasPrefix(".") }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw ForgeError(.config, "\(folder.path): cannot list the templates folder (\(error.localizedDescription))")
        }
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
