import Foundation
import ForgeCore
import ForgeGit
import Testing

/// Reading trees (files, paths, materialize), finding repositories, and branches.
@Suite struct TreeAndRepositoryTests {
    /// A base commit holding nested dirs, an executable, a symlink, a binary file and a submodule
    /// (gitlink), all made by the git CLI.
    func richFixture() throws -> (GitFixture, CommitID) {
        let fixture = try GitFixture()
        try fixture.write("src/pkg/deep/mod.py", "VALUE = 42\n")
        try fixture.write("src/main.py", "print('hi')\n")
        try fixture.write("bin/run.sh", "#!/bin/sh\nexec python3 src/main.py\n", executable: true)
        try FileManager.default.createSymbolicLink(
            atPath: fixture.root.appendingPathComponent("latest").path, withDestinationPath: "src/main.py")
        try Data([0, 1, 2, 255, 254]).write(to: fixture.root.appendingPathComponent("data.bin"))
        try fixture.git("add", "--all")
        let submoduleCommit = String(repeating: "ab", count: 20)
        try fixture.git("update-index", "--add", "--cacheinfo", "160000,\(submoduleCommit),vendor/sub")
        try fixture.git("commit", "-q", "-m", "rich base")
        let head = try fixture.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        return (fixture, CommitID(hex: head))
    }

    @Test func filesAndPathsListEveryBlobButNotSubmodules() throws {
        let (fixture, base) = try richFixture()
        let repository = try GitRepository.open(at: fixture.root)

        let expectedPaths = ["bin/run.sh", "data.bin", "latest", "src/main.py", "src/pkg/deep/mod.py"]
        #expect(try repository.paths(at: base) == expectedPaths)
        let files = try repository.files(at: base)
        #expect(files.paths == expectedPaths)
        #expect(files.text("src/pkg/deep/mod.py") == "VALUE = 42\n")
        #expect(files["data.bin"] == Data([0, 1, 2, 255, 254]))
        #expect(files.text("latest") == "src/main.py")

        let some = try repository.files(at: base, paths: ["src/main.py", "missing.txt", "src/pkg", "vendor/sub"])
        #expect(some.paths == ["src/main.py"])
    }

    @Test func materializeWritesTheExactTree() throws {
        let (fixture, base) = try richFixture()
        let repository = try GitRepository.open(at: fixture.root)
        // A forge commit on top, so materialize sees both CLI-made and forge-made objects.
        let commit = try repository.commit(
            branch: "forge/m", parent: base,
            writing: try FileSet(["src/pkg/deep/new.py": "NEW = True\n", "bin/run.sh": "#!/bin/sh\necho 2\n"]),
            message: "forge(developer): more")
        let target = try fixture.siblingDirectory()
        try repository.materialize(commit, into: target)

        let fileManager = FileManager.default
        var found: [String] = []
        let enumerator = try #require(fileManager.enumerator(atPath: target.path))
        while let path = enumerator.nextObject() as? String { found.append(path) }
        #expect(found.sorted() == [
            "bin", "bin/run.sh", "data.bin", "latest", "src", "src/main.py", "src/pkg", "src/pkg/deep",
            "src/pkg/deep/mod.py", "src/pkg/deep/new.py",
        ])
        let expected = try repository.files(at: commit)
        for path in expected.paths where path != "latest" {
            #expect(try Data(contentsOf: target.appendingPathComponent(path)) == expected[path], "\(path)")
        }
        func permissions(_ path: String) throws -> Int {
            let attributes = try fileManager.attributesOfItem(atPath: target.appendingPathComponent(path).path)
            return try #require(attributes[.posixPermissions] as? Int)
        }
        #expect(try permissions("bin/run.sh") & 0o111 == 0o111)
        #expect(try permissions("src/main.py") & 0o111 == 0)
        #expect(try fileManager.destinationOfSymbolicLink(atPath: target.appendingPathComponent("latest").path)
            == "src/main.py")
        #expect(!fileManager.fileExists(atPath: target.appendingPathComponent("vendor").path))
        // The user's checkout was not the source: it still has the base's run.sh.
        #expect(try fixture.read("bin/run.sh") == Data("#!/bin/sh\nexec python3 src/main.py\n".utf8))

        let missing = target.appendingPathComponent("does-not-exist")
        let error = #expect(throws: ForgeError.self) { try repository.materialize(commit, into: missing) }
        #expect(error?.code == .io)
    }

    @Test func discoverWalksUpAndOpenDoesNot() throws {
        let fixture = try GitFixture()
        try fixture.commitFiles(["a/b/c/file.txt": "x\n"], message: "base")
        let subdirectory = fixture.root.appendingPathComponent("a/b/c", isDirectory: true)

        let found = try GitRepository.discover(startingAt: subdirectory)
        #expect(found.workdir?.standardizedFileURL.path == fixture.root.standardizedFileURL.path)
        #expect(found.gitDirectory.standardizedFileURL.path
            == fixture.root.appendingPathComponent(".git").standardizedFileURL.path)
        #expect(try found.head() != nil)

        let notOpened = #expect(throws: ForgeError.self) { try GitRepository.open(at: subdirectory) }
        #expect(notOpened?.code == .notARepository)

        let plain = try GitFixture(initialize: false)
        let notFound = #expect(throws: ForgeError.self) { try GitRepository.discover(startingAt: plain.root) }
        #expect(notFound?.code == .notARepository)
        #expect(notFound?.hint == "run forge inside a git repository (git init)")
    }

    @Test func bareRepositoriesHaveNoWorkdir() throws {
        let fixture = try GitFixture(initialize: false)
        try fixture.git("init", "-q", "--bare", "-b", "main")
        let repository = try GitRepository.open(at: fixture.root)
        #expect(repository.workdir == nil)
        #expect(try repository.head() == nil)
        let commit = try repository.commit(
            branch: "forge/bare", parent: nil, writing: try FileSet(["f.txt": "f\n"]), message: "in a bare repo")
        #expect(try fixture.git("show", "\(commit.hex):f.txt") == "f\n")
    }

    @Test func branchesAreCreatedOnceAndListedByPrefix() throws {
        let fixture = try GitFixture()
        let base = CommitID(hex: try fixture.commitFiles(["a.txt": "a\n"], message: "base"))
        let repository = try GitRepository.open(at: fixture.root)

        #expect(try repository.branchTip("forge/b") == nil)
        try repository.createBranch("forge/b", at: base)
        try repository.createBranch("forge/a", at: base)
        try fixture.git("branch", "other", base.hex)
        #expect(try repository.branchTip("forge/b") == base)
        #expect(try repository.branches(withPrefix: "forge/") == ["forge/a", "forge/b"])
        #expect(try repository.branches(withPrefix: "") == ["forge/a", "forge/b", "main", "other"])

        #expect(throws: ForgeError.self) { try repository.createBranch("forge/b", at: base) }
        let unknown = #expect(throws: ForgeError.self) {
            try repository.createBranch("forge/c", at: CommitID(hex: String(repeating: "0", count: 40)))
        }
        #expect(unknown?.code == .notFound)
        #expect(try fixture.git("branch", "--list", "forge/*") == "  forge/a\n  forge/b\n")
    }

    @Test func writingOverAFileOrADirectoryReplacesIt() throws {
        let fixture = try GitFixture()
        let base = CommitID(hex: try fixture.commitFiles(["x": "file\n", "d/inner.txt": "in\n"], message: "base"))
        let repository = try GitRepository.open(at: fixture.root)
        // Deleting a directory and writing into it replaces its contents (deletions come first).
        let replaced = try repository.commit(
            branch: "forge/r", parent: base,
            writing: try FileSet(["d/fresh.txt": "fresh\n", "x/now-a-dir.txt": "dir\n"]),
            deleting: ["d", "never-existed.txt"], message: "replace")
        #expect(try repository.paths(at: replaced) == ["d/fresh.txt", "x/now-a-dir.txt"])
        try fixture.git("fsck", "--strict", "--no-dangling")
    }
}

@Suite struct RepositoryInitializeTests {
    @Test func aNewRepositoryHasAnUnbornHeadAndTakesARootCommit() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("forge-init-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let repository = try GitRepository.initialize(at: directory)
        #expect(try repository.head() == nil)
        let commit = try repository.commit(branch: "forge/x", parent: nil, writing: try FileSet(["a.py": "x = 1\n"]), message: "first")
        #expect(try repository.branchTip("forge/x") == commit)
        #expect(try GitRepository.open(at: directory).files(at: commit).text("a.py") == "x = 1\n")
    }
}
