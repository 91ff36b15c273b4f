import ForgeCore
import ForgeGit
import ForgeLLM
import ForgePipeline
import ForgeStore
import Foundation
import Testing

/// The spine end to end on recorded transcripts: real git, real bubblewrap, real pytest, real SQLite.
@Suite struct PipelineReplayTests {
    static let spec = "A Python module textstats.py with word_count(text) and top_words(text, n)"

    @Test func firstCodeFailsOneTestAndTheFixPasses() async throws {
        let repo = try DirtyRepository()
        defer { repo.remove() }
        let before = try repo.snapshot()
        let replay = try ReplayModel(cassette: cassettes.appendingPathComponent("textstats-fix.json"), rebind: rebindCassettes)
        let store = try ForgeStore(path: repo.databasePath)
        let pipeline = try makePipeline(repository: repo.root, model: replay, store: store)

        let outcome = try await pipeline.run(PipelineSettings(spec: Self.spec, maxIterations: 3))

        #expect(outcome.status == .passed, "\(outcome.stopReason)")
        #expect(outcome.exitStatus == .success)
        #expect(outcome.iterations == 1)
        #expect(outcome.stopReason == "tests pass")
        #expect(replay.unusedInteractions().isEmpty)

        // One commit per stage plus the fix, each with the contract's trailers.
        let log = try GitRepository.open(at: repo.root).log(branch: outcome.branch, until: outcome.base).reversed()
        #expect(log.map { $0.trailer("Forge-Stage") } == ["pm", "architect", "developer", "tests", "fix"])
        for commit in log {
            #expect(commit.trailer("Forge-Run") == outcome.runID.rawValue)
            #expect(commit.trailer("Forge-Model") == "replay/\(replay.modelName)")
            #expect(commit.trailer("Forge-Prompt-Variant")?.range(of: #"^[a-z]+/default@[0-9a-f]{8}$"#, options: .regularExpression) != nil)
            #expect(commit.trailer("Forge-Tokens")?.range(of: #"^[0-9]+\+[0-9]+$"#, options: .regularExpression) != nil)
            #expect(commit.summary.hasPrefix("forge(\(commit.trailer("Forge-Stage")!)): "))
        }
        let byStage = Dictionary(uniqueKeysWithValues: log.map { ($0.trailer("Forge-Stage")!, $0) })
        #expect(byStage["pm"]?.trailer("Forge-Tests") == "not run")
        #expect(byStage["pm"]?.trailer("Forge-Iteration") == "0")
        #expect(byStage["tests"]?.trailer("Forge-Tests") == "3 passed, 1 failed")
        #expect(byStage["fix"]?.trailer("Forge-Tests") == "4 passed, 0 failed")
        #expect(byStage["fix"]?.trailer("Forge-Iteration") == "1")
        #expect(byStage["fix"]?.trailers.filter { $0.key == "Forge-Prompt-Variant" }.count == 2)

        // The git CLI agrees: trailers, artifacts, the fixed code, the base's files underneath.
        let trailers = try git("log", "-1", "--format=%(trailers:key=Forge-Stage,valueonly)", outcome.branch, in: repo.root)
        #expect(trailers.trimmingCharacters(in: .whitespacesAndNewlines) == "fix")
        let prd = try git("show", "\(outcome.branch):.forge/prd.json", in: repo.root)
        #expect(prd.contains("acceptance_criteria"))
        #expect(try git("show", "\(outcome.branch):.forge/design.json", in: repo.root).contains("textstats.py"))
        #expect(try git("show", "\(outcome.branch):textstats.py", in: repo.root).contains("text.lower()"))
        #expect(try git("show", "\(outcome.branch):README.md", in: repo.root) == "# demo\n")

        // The user's work is untouched, byte for byte.
        #expect(try repo.snapshot() == before)

        // The store has the run, its stage events and every model call.
        let record = try #require(try store.run(id: outcome.runID.rawValue))
        #expect(record.status == .passed)
        #expect(record.exitCode == 0)
        #expect(record.testsPassed == 4 && record.testsFailed == 0)
        #expect(try store.llmCalls(runID: record.id).count == 6)
        let stages = try store.stageEvents(runID: record.id).map(\.stage)
        #expect(stages == ["pm", "architect", "developer", "tests", "verify", "analyst", "fix", "verify"])
        #expect(try store.usage(runID: record.id) == outcome.usage)
    }

    @Test func fixesThatNeverPassSpendTheIterationBudget() async throws {
        let repo = try DirtyRepository()
        defer { repo.remove() }
        let before = try repo.snapshot()
        let replay = try ReplayModel(cassette: cassettes.appendingPathComponent("textstats-never.json"), rebind: rebindCassettes)
        let store = try ForgeStore(path: repo.databasePath)
        let pipeline = try makePipeline(repository: repo.root, model: replay, store: store)

        let outcome = try await pipeline.run(PipelineSettings(spec: Self.spec, maxIterations: 2))

        #expect(outcome.status == .failed)
        #expect(outcome.exitStatus == .testsFailing)
        #expect(outcome.exitStatus.rawValue == 1)
        #expect(outcome.iterations == 2)
        #expect(outcome.stopReason.hasPrefix("iteration budget spent (2 fixes)"))
        #expect(replay.unusedInteractions().isEmpty)
        let log = try GitRepository.open(at: repo.root).log(branch: outcome.branch, until: outcome.base).reversed()
        #expect(log.map { $0.trailer("Forge-Stage") } == ["pm", "architect", "developer", "tests", "fix", "fix"])
        #expect(log.filter { $0.trailer("Forge-Stage") == "fix" }.map { $0.trailer("Forge-Iteration") } == ["1", "2"])
        #expect(log.last?.trailer("Forge-Tests") == "3 passed, 1 failed")
        #expect(try repo.snapshot() == before)
        let record = try #require(try store.run(id: outcome.runID.rawValue))
        #expect(record.status == .failed && record.exitCode == 1 && record.iterations == 2)

        // The second iteration is told what the first tried and samples differently, so an
        // unchanged prompt cannot produce the same unchanged answer again.
        let cassette = try Cassette.load(from: cassettes.appendingPathComponent("textstats-never.json"))
        let requests = Dictionary(uniqueKeysWithValues: cassette.interactions.compactMap { i in i.request.map { (i.purpose, $0) } })
        let first = try #require(requests["fix-1"])
        let second = try #require(requests["fix-2"])
        #expect(first.temperature == 0)
        #expect(second.temperature > 0)
        #expect(first.seed != second.seed)
        #expect(!first.messages.last!.content.contains("attempt 1:"))
        #expect(second.messages.last!.content.contains("attempt 1: changed textstats.py; then 3 passed, 1 failed"))
        #expect(try #require(requests["analyst-2"]).messages.last!.content.contains("attempt 1:"))
        #expect(first.messages.last!.content.contains("top_words(\"The cat the dog\", 1) returned ['he'], but the test expects [\"the\"]"))
    }

    @Test func malformedOutputGetsOneRepairThenAClearError() async throws {
        let repo = try DirtyRepository()
        defer { repo.remove() }
        let replay = try ReplayModel(cassette: cassettes.appendingPathComponent("malformed-prd.json"), rebind: rebindCassettes)
        let store = try ForgeStore(path: repo.databasePath)
        let pipeline = try makePipeline(repository: repo.root, model: replay, store: store)

        let outcome = try await pipeline.run(PipelineSettings(spec: Self.spec, maxIterations: 1))

        #expect(outcome.status == .error)
        #expect(outcome.exitStatus == .testsFailing)
        let error = try #require(outcome.error)
        #expect(error.code == .stageFailed)
        #expect(error.message.contains("product manager"))
        #expect(error.message.contains("after one repair request"))
        #expect(error.message.contains("missing key 'acceptance_criteria'"))
        // Both answers were consumed: the original and exactly one repair.
        #expect(replay.unusedInteractions().isEmpty)
        #expect(try store.llmCalls(runID: outcome.runID.rawValue).count == 2)
        #expect(outcome.commits.isEmpty)
        #expect(try GitRepository.open(at: repo.root).branchTip(outcome.branch) == nil)
    }
}

/// A test writer that stubs the function instead of importing it gets one repair request naming
/// the problem; the repaired tests are what gets locked and run.
@Suite struct TestIntegrityReplayTests {
    @Test func stubbedTestsAreRepairedBeforeTheyAreLocked() async throws {
        let repo = try DirtyRepository()
        defer { repo.remove() }
        let replay = try ReplayModel(cassette: cassettes.appendingPathComponent("stub-tests-repaired.json"), rebind: rebindCassettes)
        let store = try ForgeStore(path: repo.databasePath)
        let outcome = try await makePipeline(repository: repo.root, model: replay, store: store)
            .run(PipelineSettings(spec: PipelineReplayTests.spec, maxIterations: 1))

        #expect(outcome.status == .passed, "\(outcome.stopReason)")
        #expect(outcome.iterations == 0)
        #expect(replay.unusedInteractions().isEmpty)
        let tests = try git("show", "\(outcome.branch):test_textstats.py", in: repo.root)
        #expect(tests.contains("from textstats import"))
        #expect(!tests.contains("def word_count"))
        let cassette = try Cassette.load(from: cassettes.appendingPathComponent("stub-tests-repaired.json"))
        let repair = try #require(cassette.interactions.first { $0.purpose == "tests-repair" }?.request)
        #expect(repair.messages.last!.content.contains("the tests never import the module `textstats`"))
        #expect(repair.messages.last!.content.contains("the tests define `word_count` themselves"))
    }
}
