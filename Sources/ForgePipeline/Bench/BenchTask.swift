import ForgeCore
import Foundation

/// One `forge bench` task: `<id>/spec.md` (all the model sees), `<id>/task.toml` (language), and
/// `<id>/hidden/` (acceptance tests forge never shows the model, copied into the final tree to grade it).
public struct BenchTask: Sendable, Equatable {
    public var id: String
    public var spec: String
    public var language: String
    /// The hidden tests, by path relative to the task's `hidden/` folder (placed at the tree's root).
    public var hiddenTests: FileSet

    public init(id: String, spec: String, language: String, hiddenTests: FileSet) {
        self.id = id
        self.spec = spec
        self.language = language
        self.hiddenTests = hiddenTests
    }

    /// Reads the hidden tests of the task in `directory`.
    /// - Throws: ``ForgeError`` `.config` when the folder has no hidden tests.
    public static func hiddenTests(in directory: URL) throws -> FileSet {
        let hidden = directory.appendingPathComponent("hidden", isDirectory: true)
        let fm = FileManager.default
        guard let enumerator = fm.enumerator(at: hidden, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw ForgeError(.config, "task \(directory.lastPathComponent) has no hidden/ folder",
                             hint: "each task needs hidden/ with the acceptance tests forge grades the result with")
        }
        var files = FileSet()
        for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let relative = String(url.standardizedFileURL.path.dropFirst(hidden.standardizedFileURL.path.count + 1))
            try files.set(relative, data: try Data(contentsOf: url))
        }
        guard !files.isEmpty else {
            throw ForgeError(.config, "task \(directory.lastPathComponent) has an empty hidden/ folder",
                             hint: "put the acceptance tests there (e.g. hidden/test_hidden.py)")
        }
        return files
    }
}

/// How one task went.
public struct BenchResult: Sendable, Equatable {
    public var id: String
    public var passed: Bool
    /// Fix iterations (0 in single-shot mode).
    public var iterations: Int
    public var tokens: Int
    public var cost: Double
    public var seconds: Double
    public var stopReason: String
    /// The hidden tests' own counts, for the table.
    public var hiddenSummary: String

    public init(id: String, passed: Bool, iterations: Int, tokens: Int, cost: Double, seconds: Double, stopReason: String,
                hiddenSummary: String) {
        self.id = id
        self.passed = passed
        self.iterations = iterations
        self.tokens = tokens
        self.cost = cost
        self.seconds = seconds
        self.stopReason = stopReason
        self.hiddenSummary = hiddenSummary
    }
}

/// The two ways `forge bench` solves a task: the whole pipeline, or the baseline it must beat.
public enum BenchMode: String, Sendable, CaseIterable {
    case pipeline
    /// One developer call from the spec: no PM, architect, tests or fix loop.
    case singleShot = "single-shot"
}
