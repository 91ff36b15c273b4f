import Foundation

/// A templates folder in a fresh temp dir (one per test, so tests run in parallel), laid out as
/// `<role>/<variant>.mustache`.
struct TemplateFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("forge-prompts-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `text` to `<role>/<variant>.mustache` (or to `path` when given) and returns the file.
    @discardableResult
    func write(_ text: String, role: String, variant: String) throws -> URL {
        try write(text, at: "\(role)/\(variant).mustache")
    }

    @discardableResult
    func write(_ text: String, at path: String) throws -> URL {
        let file = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return file
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// A well-formed template file's text.
func templateText(role: String, variant: String, schema: String? = "prd",
                  description: String = "A test variant.", body: String = "[system]\nYou are a PM.\n[user]\nSpec: {{spec}}\n") -> String {
    var text = "---\nrole: \(role)\nvariant: \(variant)\n"
    if let schema { text += "schema: \(schema)\n" }
    text += "description: \(description)\n---\n" + body
    return text
}
