import ForgeCore
import ForgeGit
import ForgeLLM
import ForgePipeline
import ForgeStore
import Foundation
import Testing

/// `forge resume`: a run continues from its branch, with the history a fresh process rebuilds from
/// the commits producing exactly the prompts the uninterrupted run would have sent.
@Suite struct PipelineResumeTests {
    @Test func aFailedRunResumesFromItsBranchWithMoreIterations() async throws {
        let repo = try DirtyRepository()
        defer { repo.remove() }
        let before = try repo.snapshot()
        let store = try ForgeStore(path: repo.databasePath)
        let cassette = cassettes.appendingPathComponent("textstats-never.json")

        let first = try await makePipeline(repository: repo.root, model: try ReplayModel(cassette: cassette), store: store)
            .run(PipelineSettings(spec: PipelineReplayTests.spec, maxIterations: 1))
        #expect(first.status == .failed)
        #expect(first.iterations == 1)
        #expect(first.commits.count == 5)

        // A new process: new pipeline, new replay of the same cassette, only the branch and the store to go on.
        let replay = try ReplayModel(cassette: cassette)
        let resumed = try await makePipeline(repository: repo.root, model: replay, store: store)
            .resume(runID: first.runID.rawValue, limits: ResumeLimits(maxIterations: 2))

        #expect(resumed.runID == first.runID)
        #expect(resumed.status == .failed)
        #expect(resumed.iterations == 2)
        #expect(resumed.stopReason.hasPrefix("iteration budget spent (2 fixes)"))
        // Only the second iteration's exchanges were needed; their hashes matched the recording.
        #expect(replay.unusedInteractions() == ["pm", "architect", "developer", "tests", "analyst-1", "fix-1"])
        let log = try GitRepository.open(at: repo.root).log(branch: first.branch, until: first.base).reversed()
        #expect(log.map { $0.trailer("Forge-Stage") } == ["pm", "architect", "developer", "tests", "fix", "fix"])
        #expect(log.first?.id == first.commits.first)
        #expect(try repo.snapshot() == before)
        let record = try #require(try store.run(id: first.runID.rawValue))
        #expect(record.iterations == 2 && record.maxIterations == 2 && record.status == .failed)
        #expect(record.promptTokens == resumed.usage.promptTokens)
        #expect(resumed.usage.totalTokens > first.usage.totalTokens)
    }

    @Test func aPassedRunIsNotResumed() async throws {
        let repo = try DirtyRepository()
        defer { repo.remove() }
        let store = try ForgeStore(path: repo.databasePath)
        let cassette = cassettes.appendingPathComponent("textstats-fix.json")
        let done = try await makePipeline(repository: repo.root, model: try ReplayModel(cassette: cassette), store: store)
            .run(PipelineSettings(spec: PipelineReplayTests.spec))
        #expect(done.status == .passed)
        await #expect(throws: ForgeError.self) {
            _ = try await makePipeline(repository: repo.root, model: try ReplayModel(cassette: cassette), store: store)
                .resume(runID: done.runID.rawValue)
        }
    }
}
