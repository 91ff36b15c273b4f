import Foundation

/// A real git repository in a fresh temporary directory, driven with the `git` command line so the
/// tests check ForgeGit against git itself. Each test makes its own; the directory is removed when
/// the fixture goes away.
final class GitFixture {
    let root: URL
    private var siblings: [URL] = []

    /// Creates an empty directory, and runs `git init` in it unless `initialize` is false.
    init(initialize: Bool = true) throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("forge-git-tests-\(UUID().uuidString)", isDirectory: true)
            .resolvingSymlinksInPath()
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        if initialize {
            try git("init", "-q", "-b", "main")
            try git("config", "user.name", "Test User")
            try git("config", "user.email", "test@example.com")
            try git("config", "commit.gpgsign", "false")
        }
    }

    deinit {
        for url in [root] + siblings { try? FileManager.default.removeItem(at: url) }
    }

    /// Runs git in `root` (or `directory`) and returns its standard output as text.
    @discardableResult
    func git(_ arguments: String..., in directory: URL? = nil) throws -> String {
        String(decoding: try gitData(arguments, in: directory), as: UTF8.self)
    }

    /// Runs git and returns its standard output bytes; throws with its stderr when it exits non-zero.
    /// Unless `isolated` is false, the user's global and system git configuration is ignored.
    func gitData(_ arguments: [String], in directory: URL? = nil, isolated: Bool = true) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = directory ?? root
        var environment = ProcessInfo.processInfo.environment
        if isolated {
            environment["GIT_CONFIG_NOSYSTEM"] = "1"
            environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        }
        environment["LC_ALL"] = "C"
        for inherited in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CEILING_DIRECTORIES"] {
            environment.removeValue(forKey: inherited)
        }
        process.environment = environment
        let output = Pipe()
        let errorFile = root.deletingLastPathComponent()
            .appendingPathComponent("forge-git-stderr-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: errorFile.path, contents: nil) else {
            throw FixtureError("cannot create \(errorFile.path) for git's stderr")
        }
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let errorHandle = try FileHandle(forWritingTo: errorFile)
        process.standardOutput = output
        process.standardError = errorHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try errorHandle.close()
        guard process.terminationStatus == 0 else {
            let stderr = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
            throw FixtureError("git \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(stderr)")
        }
        return data
    }

    /// Writes a file under `root`, creating parent directories.
    func write(_ path: String, _ text: String, executable: Bool = false) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        if executable {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        }
    }

    func read(_ path: String) throws -> Data {
        try Data(contentsOf: root.appendingPathComponent(path))
    }

    /// Writes `files`, stages them and commits with `message`; returns the new HEAD.
    @discardableResult
    func commitFiles(_ files: [String: String], message: String) throws -> String {
        for (path, text) in files { try write(path, text) }
        try git("add", "--all")
        try git("commit", "-q", "-m", message)
        return try git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A fresh empty directory beside the repository (for materialize, or as a non-repository).
    func siblingDirectory() throws -> URL {
        let url = root.appendingPathComponent("../\(root.lastPathComponent)-sibling-\(UUID().uuidString)")
            .standardizedFileURL
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        siblings.append(url)
        return url
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
