import Foundation

/// A temp git repository with one commit and uncommitted work of every kind (a modified tracked
/// file, a staged new file, an untracked file), which forge must leave exactly as it was.
public struct TemporaryRepository {
    public let root: URL

    public init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("forge-repo-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try git("init", "-q", "-b", "main", in: root)
        try git("config", "user.name", "Test User", in: root)
        try git("config", "user.email", "test@example.com", in: root)
        try write("README.md", "# demo\n")
        try git("add", "README.md", in: root)
        try git("commit", "-q", "-m", "initial", in: root)
        try write("README.md", "# demo\nwork in progress\n")
        try write("staged.py", "staged = True\n")
        try git("add", "staged.py", in: root)
        try write("notes.txt", "scratch\n")
    }

    public var path: String { root.path }

    /// A database beside the repository, not in it: forge's state never lives in the user's tree.
    public var databasePath: URL { root.deletingLastPathComponent().appendingPathComponent(root.lastPathComponent + ".sqlite") }

    /// What the user would see: status, index bytes, HEAD file and commit, working files.
    public func snapshot() throws -> [String: Data] {
        let gitDirectory = root.appendingPathComponent(".git")
        return [
            "status": Data(try git("status", "--porcelain=v1", in: root).utf8),
            "index": try Data(contentsOf: gitDirectory.appendingPathComponent("index")),
            "HEAD": try Data(contentsOf: gitDirectory.appendingPathComponent("HEAD")),
            "head-commit": Data(try git("rev-parse", "HEAD", in: root).utf8),
            "README.md": try Data(contentsOf: root.appendingPathComponent("README.md")),
            "staged.py": try Data(contentsOf: root.appendingPathComponent("staged.py")),
            "notes.txt": try Data(contentsOf: root.appendingPathComponent("notes.txt")),
        ]
    }

    public func remove() {
        try? FileManager.default.removeItem(at: root)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: databasePath.path + suffix) }
    }

    private func write(_ name: String, _ text: String) throws {
        try text.write(to: root.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
}
