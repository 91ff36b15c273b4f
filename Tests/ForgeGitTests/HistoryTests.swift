import Foundation
import ForgeCore
import ForgeGit
import Testing

/// Reading history back: commit info and trailers, log, diff, resolve.
@Suite struct HistoryTests {
    static let forgeMessage = """
        forge(tests): write tests from the PRD

        The tests cover the parser's edge cases.
        Second line of the body.

        Forge-Run: 20261121-101500-ab12
        Forge-Stage: tests
        Forge-Iteration: 0
        Forge-Prompt-Variant: testwriter/default@1a2b3c4d
        Forge-Tests: 3 passed, 1 failed
        Forge-Tokens: 1200+340
        """

    /// What `git interpret-trailers --parse` makes of `message`, as trailers.
    func cliTrailers(_ message: String, fixture: GitFixture) throws -> [Trailer] {
        let file = fixture.root.appendingPathComponent(".git/forge-test-message-\(UUID().uuidString)")
        try Data(message.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try fixture.git("interpret-trailers", "--parse", file.path)
            .split(separator: "\n")
            .map { line in
                let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                return Trailer(parts[0], parts.count > 1 ? parts[1] : "")
            }
    }

    @Test func trailersRoundTripThroughCommitInfoAndGit() throws {
        let fixture = try GitFixture()
        let repository = try GitRepository.open(at: fixture.root)
        let id = try repository.commit(branch: "forge/t", parent: nil, writing: FileSet(), message: Self.forgeMessage)
        let info = try repository.commitInfo(id)

        let expected = [
            Trailer("Forge-Run", "20261121-101500-ab12"), Trailer("Forge-Stage", "tests"),
            Trailer("Forge-Iteration", "0"), Trailer("Forge-Prompt-Variant", "testwriter/default@1a2b3c4d"),
            Trailer("Forge-Tests", "3 passed, 1 failed"), Trailer("Forge-Tokens", "1200+340"),
        ]
        #expect(info.trailers == expected)
        #expect(info.summary == "forge(tests): write tests from the PRD")
        #expect(info.message == Self.forgeMessage + "\n")
        #expect(info.trailer("forge-stage") == "tests")
        #expect(info.trailer("Forge-Model") == nil)
        #expect(info.id == id)

        let stored = try fixture.git("log", "-1", "--format=%B", "forge/t")
        #expect(try cliTrailers(stored, fixture: fixture) == expected)
    }

    @Test(arguments: [
        "just a subject\n",
        "Key: value\n",
        "subject\n\nKey: value\n",
        "subject\n\nbody text\n\nSigned-off-by: A <a@b.c>\nFixes: #12\n",
        "subject\n\nnot: a trailer block\nbecause this line is prose\nand so is this one\n",
        "subject\n\nKey: value\n\nlast paragraph is prose\n",
    ])
    func parseTrailersAgreesWithGit(message: String) throws {
        let fixture = try GitFixture()
        #expect(GitRepository.parseTrailers(message) == (try cliTrailers(message, fixture: fixture)))
    }

    @Test func logStopsAtTheBaseAndDiffShowsTheChange() throws {
        let fixture = try GitFixture()
        try fixture.commitFiles(["old.txt": "old\n"], message: "older")
        let base = CommitID(hex: try fixture.commitFiles(["app.py": "a = 1\n"], message: "base"))
        let repository = try GitRepository.open(at: fixture.root)
        let first = try repository.commit(
            branch: "forge/h", parent: base,
            writing: try FileSet(["app.py": "a = 1\nb = 2\n", "lib/util.py": "def f():\n    return 3\n"]),
            message: "forge(developer): first")
        let second = try repository.commit(
            branch: "forge/h", parent: first, writing: try FileSet(["notes.md": "n\n"]), message: "forge(fix): second")

        #expect(try repository.log(branch: "forge/h", until: base).map(\.id) == [second, first])
        #expect(try repository.log(branch: "forge/h").count == 4)
        #expect(try repository.log(branch: "forge/h", until: base).first?.parents == [first])
        let missing = #expect(throws: ForgeError.self) { try repository.log(branch: "forge/nope") }
        #expect(missing?.code == .notFound)

        let patch = try repository.diff(from: base, to: first)
        #expect(patch.contains("diff --git a/app.py b/app.py"))
        #expect(patch.contains("\n+b = 2\n"))
        #expect(patch.contains("+++ b/lib/util.py"))
        #expect(patch.contains("+    return 3\n"))
        // The patch is one git itself accepts against the base.
        let patchFile = fixture.root.appendingPathComponent(".git/forge-test.patch")
        try Data(patch.utf8).write(to: patchFile)
        try fixture.git("apply", "--check", patchFile.path)

        let limited = try repository.diff(from: base, to: first, paths: ["lib"])
        #expect(limited.contains("lib/util.py"))
        #expect(!limited.contains("app.py"))
        #expect(try repository.diff(from: base, to: first, paths: []) == "")
        #expect(try repository.diff(from: nil, to: base).contains("+++ b/old.txt"))
    }

    @Test func resolvePeelsTagsAndRejectsUnknownRevisions() throws {
        let fixture = try GitFixture()
        let first = try fixture.commitFiles(["a.txt": "1\n"], message: "one")
        let second = try fixture.commitFiles(["a.txt": "2\n"], message: "two")
        try fixture.git("tag", "-a", "v1", "-m", "annotated", first)
        let repository = try GitRepository.open(at: fixture.root)

        #expect(try repository.resolve("HEAD").hex == second)
        #expect(try repository.resolve("HEAD~1").hex == first)
        #expect(try repository.resolve("v1").hex == first)
        #expect(try repository.resolve(String(second.prefix(10))).hex == second)
        #expect(try repository.resolve("main").hex == second)
        for bad in ["no-such-branch", "HEAD~5", "HEAD^{tree}", "HEAD:a.txt", "a..b.."] {
            let error = #expect(throws: ForgeError.self, "\(bad)") { try repository.resolve(bad) }
            #expect(error?.code == .notFound, "\(bad): \(String(describing: error))")
        }
    }

    @Test func commitIDCodesAsABareString() throws {
        let id = CommitID(hex: "0123456789ABCDEF0123456789abcdef01234567")
        #expect(id.hex == "0123456789abcdef0123456789abcdef01234567")
        #expect(id.short == "01234567")
        let json = try JSONEncoder().encode([id])
        #expect(String(decoding: json, as: UTF8.self) == "[\"0123456789abcdef0123456789abcdef01234567\"]")
        #expect(try JSONDecoder().decode([CommitID].self, from: json) == [id])
    }
}
