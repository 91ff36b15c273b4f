import Foundation

/// A set of files by repository-relative path: what a stage writes, what a commit adds, what the
/// sandbox sees. Contents are bytes so binary files survive a round trip through git.
public struct FileSet: Sendable, Equatable, Hashable {
    public private(set) var contents: [String: Data]

    public init() { contents = [:] }

    /// Builds a set, checking every path (see ``validate(path:)``).
    public init(_ files: [String: String]) throws {
        contents = [:]
        for (path, text) in files { try set(path, text: text) }
    }

    public init(data: [String: Data]) throws {
        contents = [:]
        for (path, bytes) in data { try set(path, data: bytes) }
    }

    public var paths: [String] { contents.keys.sorted() }
    public var isEmpty: Bool { contents.isEmpty }
    public var count: Int { contents.count }

    public subscript(path: String) -> Data? { contents[path] }

    /// The file at `path` as UTF-8 text, or nil when absent or not text.
    public func text(_ path: String) -> String? {
        contents[path].flatMap { String(data: $0, encoding: .utf8) }
    }

    public mutating func set(_ path: String, text: String) throws {
        try set(path, data: Data(text.utf8))
    }

    public mutating func set(_ path: String, data: Data) throws {
        let normalized = try FileSet.validate(path: path)
        contents[normalized] = data
    }

    @discardableResult
    public mutating func remove(_ path: String) -> Data? { contents.removeValue(forKey: path) }

    /// This set with `other`'s files laid over it (other wins).
    public func merging(_ other: FileSet) -> FileSet {
        var copy = self
        copy.contents.merge(other.contents) { _, new in new }
        return copy
    }

    /// Only the files whose paths satisfy `isIncluded`.
    public func filter(_ isIncluded: (String) -> Bool) -> FileSet {
        var copy = FileSet()
        copy.contents = contents.filter { isIncluded($0.key) }
        return copy
    }

    /// Writes every file under `directory`, creating the folders its paths need.
    public func write(into directory: URL) throws {
        let fm = FileManager.default
        for (path, data) in contents {
            let target = directory.appendingPathComponent(path)
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: target)
        }
    }

    /// Paths whose contents differ from (or are absent in) `base`.
    public func changedPaths(comparedTo base: FileSet) -> [String] {
        paths.filter { base.contents[$0] != contents[$0] }
    }

    /// Checks that a path a model produced is safe to write inside a repository: relative, no `..`,
    /// nothing inside `.git`, no empty components. Returns the normalised form (`./a//b` → `a/b`).
    ///
    /// - Throws: ``ForgeError`` with code `.invalidPath` naming the path and what is wrong with it.
    public static func validate(path: String) throws -> String {
        let trimmed = path.trimmingCharacters(in: .whitespacesAndNewlines)
        func reject(_ why: String) -> ForgeError {
            ForgeError(.invalidPath, "refusing file path '\(path)': \(why)",
                       hint: "file paths must be relative to the repository root, e.g. 'src/app.py'")
        }
        if trimmed.isEmpty { throw reject("it is empty") }
        if trimmed.hasPrefix("/") || trimmed.hasPrefix("~") { throw reject("it is absolute") }
        if trimmed.contains("\0") || trimmed.contains("\\") { throw reject("it contains a NUL or backslash") }
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        if parts.isEmpty { throw reject("it names no file") }
        if parts.contains("..") { throw reject("it leaves the repository with '..'") }
        if parts.first == ".git" || parts.contains(".git") { throw reject("it points inside .git") }
        return parts.joined(separator: "/")
    }
}
