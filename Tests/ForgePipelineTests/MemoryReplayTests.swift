import ForgeCore
import ForgeLLM
import ForgePipeline
import ForgeStore
import Foundation
import Testing

/// Specs that ended green are remembered; a similar later spec shows the PM and the architect the
/// earlier PRD and design as a worked example.
@Suite struct MemoryReplayTests {
    @Test func aGreenRunIsRememberedAndGuidesTheNextSimilarSpec() async throws {
        let first = try DirtyRepository()
        let second = try DirtyRepository()
        defer { first.remove(); second.remove() }
        let store = try ForgeStore(path: first.databasePath)

        let earlier = try await makePipeline(repository: first.root, model: try ReplayModel(cassette: cassettes.appendingPathComponent("textstats-fix.json")),
                                             store: store).run(PipelineSettings(spec: PipelineReplayTests.spec))
        #expect(earlier.status == .passed)
        let remembered = try #require(try store.closestSolution(to: PipelineReplayTests.spec, language: "python"))
        #expect(remembered.runID == earlier.runID.rawValue)
        #expect(remembered.files.keys.sorted() == ["test_textstats.py", "textstats.py"])
        #expect(remembered.prd.contains("Text statistics module"))

        let cassette = cassettes.appendingPathComponent("textstats-fix-remembered.json")
        let later = try await makePipeline(repository: second.root, model: try ReplayModel(cassette: cassette, rebind: rebindCassettes),
                                           store: store).run(PipelineSettings(spec: PipelineReplayTests.spec))
        #expect(later.status == .passed)
        let requests = Dictionary(grouping: try Cassette.load(from: cassette).interactions.compactMap(\.request), by: \.purpose)
        let pm = try #require(requests["pm"]?.first?.messages.last?.content)
        #expect(pm.contains("A similar request was solved before. Request: \"\(PipelineReplayTests.spec)\""))
        #expect(pm.contains("\"title\" : \"Text statistics module\""))
        let architect = try #require(requests["architect"]?.first?.messages.last?.content)
        #expect(architect.contains("Its design, as a guide"))
        #expect(architect.contains("word_count and top_words over plain text"))
    }
}
