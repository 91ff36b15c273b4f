import Foundation
import ForgeCore
import ForgeGit
import Testing

/// forge's central promise: commits go on `forge/<run>` only; the user's working tree, index and
/// HEAD stay byte-for-byte what they were, uncommitted changes included.
@Suite struct CommitIsolationTests {
    /// Everything the user could notice about their checkout.
    struct CheckoutSnapshot: Equatable {
        var status: String
        var index: Data
        var headFile: Data
        var head: String
        var workingFiles: [String: Data]
    }

    func snapshot(_ fixture: GitFixture) throws -> CheckoutSnapshot {
        // Read the raw files first, then ask git (with no optional locks, so status cannot refresh
        // and rewrite the index itself).
        let index = try Data(contentsOf: fixture.root.appendingPathComponent(".git/index"))
        let headFile = try Data(contentsOf: fixture.root.appendingPathComponent(".git/HEAD"))
        var working: [String: Data] = [:]
        for path in ["README.md", "src/app.py", "tools/run.sh", "staged.txt", "untracked.txt"] {
            working[path] = try fixture.read(path)
        }
        return CheckoutSnapshot(
            status: try fixture.git("--no-optional-locks", "status", "--porcelain=v1", "--untracked-files=all"),
            index: index,
            headFile: headFile,
            head: try fixture.git("rev-parse", "HEAD"),
            workingFiles: working
        )
    }

    @Test func chainedCommitsLeaveWorkingTreeIndexAndHeadUntouched() throws {
        let fixture = try GitFixture()
        try fixture.write("tools/run.sh", "#!/bin/sh\necho v1\n", executable: true)
        let baseHex = try fixture.commitFiles(
            ["README.md": "# Demo\n", "src/app.py": "print('v1')\n"], message: "base")
        // Uncommitted work of every kind.
        try fixture.write("README.md", "# Demo\nlocal edit, not staged\n")
        try fixture.write("staged.txt", "staged but not committed\n")
        try fixture.git("add", "staged.txt")
        try fixture.write("untracked.txt", "nobody added me\n")
        let before = try snapshot(fixture)
        #expect(before.status.contains(" M README.md"))
        #expect(before.status.contains("A  staged.txt"))
        #expect(before.status.contains("?? untracked.txt"))

        let repository = try GitRepository.open(at: fixture.root)
        let base = try #require(try repository.head())
        #expect(base.hex == baseHex)
        try repository.createBranch("forge/x", at: base)

        let first = try repository.commit(
            branch: "forge/x", parent: base,
            writing: try FileSet(["pkg/core/model.py": "class Model: pass\n", "pkg/__init__.py": ""]),
            message: "forge(developer): add the model")
        let second = try repository.commit(
            branch: "forge/x", parent: first,
            writing: try FileSet(["src/app.py": "print('v2')\n", "tools/run.sh": "#!/bin/sh\necho v2\n"]),
            message: "forge(fix): overwrite the app")
        let third = try repository.commit(
            branch: "forge/x", parent: second,
            writing: try FileSet(["pkg/core/extra.py": "EXTRA = 1\n"]),
            deleting: ["pkg/core/model.py", "src/app.py"],
            message: "forge(fix): replace the model, drop src")

        let after = try snapshot(fixture)
        #expect(after == before)
        #expect(try repository.head() == base)
        #expect(try repository.branchTip("forge/x") == third)

        let log = try fixture.git("log", "--format=%H", "forge/x").split(separator: "\n").map(String.init)
        #expect(log == [third.hex, second.hex, first.hex, base.hex])

        // Contents as git sees them.
        #expect(try fixture.git("show", "forge/x:pkg/core/extra.py") == "EXTRA = 1\n")
        #expect(try fixture.git("show", "forge/x~1:src/app.py") == "print('v2')\n")
        #expect(try fixture.git("show", "forge/x~2:pkg/core/model.py") == "class Model: pass\n")
        // The base's committed files are still there, and the user's uncommitted edit did not leak in.
        #expect(try fixture.git("show", "forge/x:README.md") == "# Demo\n")
        let finalPaths = try fixture.git("ls-tree", "-r", "--name-only", "forge/x")
            .split(separator: "\n").map(String.init)
        #expect(finalPaths == ["README.md", "pkg/__init__.py", "pkg/core/extra.py", "tools/run.sh"])
        // Deleting the last file of src/ removed the directory itself.
        #expect(!(try fixture.git("ls-tree", "forge/x")).contains("src"))
        #expect(try fixture.git("ls-tree", "forge/x~1").contains("\tsrc\n"))
        // Overwriting kept the executable mode; new files are 100644.
        #expect(try fixture.git("ls-tree", "forge/x", "tools/run.sh").hasPrefix("100755 blob"))
        #expect(try fixture.git("ls-tree", "forge/x", "pkg/core/extra.py").hasPrefix("100644 blob"))
        // The objects forge wrote are well-formed.
        try fixture.git("fsck", "--strict", "--no-dangling")
    }

    @Test func committingWithAStaleParentThrowsAndLeavesTheBranch() throws {
        let fixture = try GitFixture()
        let base = CommitID(hex: try fixture.commitFiles(["a.txt": "a\n"], message: "base"))
        let repository = try GitRepository.open(at: fixture.root)
        let first = try repository.commit(
            branch: "forge/cas", parent: base, writing: try FileSet(["b.txt": "b\n"]), message: "first")

        let stale = #expect(throws: ForgeError.self) {
            try repository.commit(branch: "forge/cas", parent: base, writing: try FileSet(["c.txt": "c\n"]),
                                  message: "built on a stale parent")
        }
        #expect(stale?.code == .branchMoved)
        let rootOnTop = #expect(throws: ForgeError.self) {
            try repository.commit(branch: "forge/cas", parent: nil, writing: FileSet(), message: "root")
        }
        #expect(rootOnTop?.code == .branchMoved)
        #expect(try repository.branchTip("forge/cas") == first)

        // A branch moved behind forge's back by someone else is caught too.
        try fixture.git("branch", "-f", "forge/cas", base.hex)
        let late = #expect(throws: ForgeError.self) {
            try repository.commit(branch: "forge/cas", parent: first, writing: FileSet(), message: "late")
        }
        #expect(late?.code == .branchMoved)
        #expect(try repository.branchTip("forge/cas") == base)
    }

    @Test func unbornHeadHasNoCommitAndARootCommitWorks() throws {
        let fixture = try GitFixture()
        let repository = try GitRepository.open(at: fixture.root)
        #expect(try repository.head() == nil)

        let root = try repository.commit(
            branch: "forge/root", parent: nil, writing: try FileSet(["docs/a.md": "hello\n"]),
            message: "forge(pm): first")
        #expect(try repository.commitInfo(root).parents.isEmpty)
        #expect(try fixture.git("rev-list", "--count", "forge/root") == "1\n")
        #expect(try fixture.git("show", "forge/root:docs/a.md") == "hello\n")
        // HEAD is still unborn on main, and no index was created.
        #expect(try repository.head() == nil)
        #expect(try fixture.git("symbolic-ref", "HEAD") == "refs/heads/main\n")
        #expect(!FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent(".git/index").path))
    }

    @Test func authorDefaultsToTheRepositoryUserAndCanBeGiven() throws {
        let fixture = try GitFixture()
        let repository = try GitRepository.open(at: fixture.root)
        let configured = try repository.commit(branch: "forge/a", parent: nil, writing: FileSet(), message: "one")
        let info = try repository.commitInfo(configured)
        #expect(info.authorName == "Test User")
        #expect(info.authorEmail == "test@example.com")
        #expect(try fixture.git("log", "-1", "--format=%at", configured.hex)
            == "\(Int(info.time.timeIntervalSince1970))\n")

        let given = try repository.commit(
            branch: "forge/a", parent: configured, writing: FileSet(), message: "two",
            author: Signature(name: "Forge Bot", email: "bot@example.com"))
        #expect(try fixture.git("log", "-1", "--format=%an <%ae>|%cn <%ce>", given.hex)
            == "Forge Bot <bot@example.com>|Forge Bot <bot@example.com>\n")
    }

    /// True when git configuration outside a repository (global, system) names no complete identity,
    /// so libgit2's default signature fails and forge must fall back to its own.
    static var noIdentityOutsideRepositories: Bool {
        guard let plain = try? GitFixture(initialize: false) else { return false }
        func configured(_ key: String) -> Bool {
            (try? plain.gitData(["config", "--get", key], isolated: false)) != nil
        }
        return !(configured("user.name") && configured("user.email"))
    }

    @Test(.enabled(if: noIdentityOutsideRepositories, "this machine's git config names a user"))
    func authorFallsBackToForgeWithoutConfiguredUser() throws {
        let fixture = try GitFixture(initialize: false)
        try fixture.git("init", "-q", "-b", "main")
        let repository = try GitRepository.open(at: fixture.root)
        let id = try repository.commit(branch: "forge/f", parent: nil, writing: FileSet(), message: "fallback")
        let info = try repository.commitInfo(id)
        #expect(Signature(name: info.authorName, email: info.authorEmail) == Signature.forgeFallback)
    }

    @Test func blankMessagesAndBadBranchNamesAreRefused() throws {
        let fixture = try GitFixture()
        let repository = try GitRepository.open(at: fixture.root)
        let blank = #expect(throws: ForgeError.self) {
            try repository.commit(branch: "forge/a", parent: nil, writing: FileSet(), message: " \n\n")
        }
        #expect(blank?.code == .usage)
        let badName = #expect(throws: ForgeError.self) {
            try repository.commit(branch: "forge/a..b", parent: nil, writing: FileSet(), message: "m")
        }
        #expect(badName?.code == .usage)
        #expect(try repository.branches(withPrefix: "") == [])
    }
}
