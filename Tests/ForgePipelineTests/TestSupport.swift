import ForgeCore
import ForgeGit
import ForgePipeline
import ForgeLLM
import ForgePrompts
import ForgeSandbox
import ForgeStore
import Foundation
import Testing

/// The forge checkout these tests run from (Templates/, Sandboxes/, Fixtures/ live at its root).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let cassettes = packageRoot.appendingPathComponent("Fixtures/cassettes")

/// Runs the git CLI, the independent witness of what forge did to a repository.
@discardableResult
func git(_ arguments: String..., in directory: URL) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.environment = ProcessInfo.processInfo.environment.merging(
        ["GIT_AUTHOR_NAME": "Test User", "GIT_AUTHOR_EMAIL": "test@example.com",
         "GIT_COMMITTER_NAME": "Test User", "GIT_COMMITTER_EMAIL": "test@example.com"]) { _, new in new }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0 else { throw GitCLIError(arguments: arguments, output: text) }
    return text
}

struct GitCLIError: Error, CustomStringConvertible {
    var arguments: [String]
    var output: String
    var description: String { "git \(arguments.joined(separator: " ")) failed: \(output)" }
}

/// A temp repository with a commit and uncommitted work of every kind (modified, staged, untracked),
/// which forge must leave exactly as it was.
struct DirtyRepository {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("forge-pipeline-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try git("init", "-q", "-b", "main", in: root)
        try git("config", "user.name", "Test User", in: root)
        try git("config", "user.email", "test@example.com", in: root)
        try "# demo\n".write(to: root.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        try git("add", "README.md", in: root)
        try git("commit", "-q", "-m", "initial", in: root)
        try "# demo\nwork in progress\n".write(to: root.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        try "staged = True\n".write(to: root.appendingPathComponent("staged.py"), atomically: true, encoding: .utf8)
        try git("add", "staged.py", in: root)
        try "scratch\n".write(to: root.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
    }

    /// What the user would see: status, index bytes, HEAD file and commit, working files.
    func snapshot() throws -> [String: Data] {
        let git = root.appendingPathComponent(".git")
        return [
            "status": Data(try ForgePipelineTests.git("status", "--porcelain=v1", in: root).utf8),
            "index": try Data(contentsOf: git.appendingPathComponent("index")),
            "HEAD": try Data(contentsOf: git.appendingPathComponent("HEAD")),
            "head-commit": Data(try ForgePipelineTests.git("rev-parse", "HEAD", in: root).utf8),
            "README.md": try Data(contentsOf: root.appendingPathComponent("README.md")),
            "staged.py": try Data(contentsOf: root.appendingPathComponent("staged.py")),
            "notes.txt": try Data(contentsOf: root.appendingPathComponent("notes.txt")),
        ]
    }

    /// A database beside the repository, not in it: forge's state never lives in the user's tree.
    var databasePath: URL { root.deletingLastPathComponent().appendingPathComponent(root.lastPathComponent + ".sqlite") }

    func remove() {
        try? FileManager.default.removeItem(at: root)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: databasePath.path + suffix) }
    }
}

/// The pipeline's parts, real ones: templates and profile from this checkout, bubblewrap, SQLite.
func makePipeline(repository: URL, model: any ChatModel, store: ForgeStore) throws -> Pipeline {
    let templates = try TemplateLibrary(builtIn: packageRoot.appendingPathComponent("Templates"))
    let profile = try SandboxProfile.load(named: "python", in: packageRoot.appendingPathComponent("Sandboxes"))
    return Pipeline(repository: try GitRepository.open(at: repository), model: model, templates: templates, profile: profile,
                    verifier: TestVerifier(profile: profile, runner: BubblewrapRunner()), store: store)
}

/// Cassettes re-bind their request hashes when FORGE_CASSETTE_REBIND=1 (after a template change).
var rebindCassettes: Bool { ProcessInfo.processInfo.environment["FORGE_CASSETTE_REBIND"] == "1" }
