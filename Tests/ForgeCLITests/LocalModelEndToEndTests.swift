import Foundation
import Testing

/// The whole spine on the real embedded model: llama.cpp's server, Qwen2.5-Coder-1.5B, bubblewrap,
/// pytest, libgit2. The README's test command (scripts/test) installs the model first; this test
/// fails rather than skips when it is missing, unless FORGE_SKIP_LOCAL_MODEL=1 says so explicitly.
@Suite(.serialized) struct LocalModelEndToEndTests {
    static let spec = "A Python module temperature.py with celsius_to_fahrenheit(c) and fahrenheit_to_celsius(f)"

    @Test(.disabled(if: ProcessInfo.processInfo.environment["FORGE_SKIP_LOCAL_MODEL"] == "1",
                    "FORGE_SKIP_LOCAL_MODEL=1: the real-model end-to-end test was skipped on request"),
          .timeLimit(.minutes(20)))
    func buildsASmallPythonSpecToPassingTests() async throws {
        let status = try await ForgeBinary.run(["model", "status"])
        try #require(!status.stdout.contains("not installed"),
                     "the local model is not installed: run scripts/setup (or forge model install) first")

        let temporary = try TemporaryRepository()
        let repo = temporary.root
        defer { temporary.remove() }
        let statusBefore = try git("status", "--porcelain=v1", in: repo)
        let headBefore = try git("rev-parse", "HEAD", in: repo)

        let build = try await ForgeBinary.run(["build", "--max-iterations", "4", "--json", "--db", repo.path + ".sqlite", Self.spec], in: repo)

        #expect(build.status == 0, "forge build failed; stdout: \(build.stdout)\nstderr: \(build.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(build.stdout.utf8)) as? [String: Any])
        #expect(result["status"] as? String == "passed")
        #expect((result["iterations"] as? Int ?? 99) <= 4)
        let tests = try #require(result["tests"] as? [String: Any])
        #expect((tests["passed"] as? Int ?? 0) > 0)
        #expect(tests["failed"] as? Int == 0)

        let branch = try #require(result["branch"] as? String)
        let stages = try git("log", "--reverse", "--format=%(trailers:key=Forge-Stage,valueonly)", "main..\(branch)", in: repo)
            .split(separator: "\n").map(String.init)
        #expect(Array(stages.prefix(4)) == ["pm", "architect", "developer", "tests"])
        #expect(stages.dropFirst(4).allSatisfy { $0 == "fix" })
        let lastTests = try git("log", "-1", "--format=%(trailers:key=Forge-Tests,valueonly)", branch, in: repo)
        #expect(lastTests.contains(" passed, 0 failed"))
        #expect(try git("log", "-1", "--format=%(trailers:key=Forge-Model,valueonly)", branch, in: repo)
            .contains("local/qwen2.5-coder-1.5b-instruct"))
        #expect(try git("show", "\(branch):temperature.py", in: repo).contains("def celsius_to_fahrenheit"))

        #expect(try git("status", "--porcelain=v1", in: repo) == statusBefore)
        #expect(try git("rev-parse", "HEAD", in: repo) == headBefore)
    }
}
