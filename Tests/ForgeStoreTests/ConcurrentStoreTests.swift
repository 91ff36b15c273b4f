import ForgeCore
import Foundation
import Testing
@testable import ForgeStore

/// Two `ForgeStore`s on one file stand for two forge processes: each has its own SQLite connections,
/// so they contend for the file's locks exactly as separate processes do.
@Suite struct ConcurrentStoreTests {
    @Test func twoStoresWriteTheSameFileConcurrently() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("shared/forge.sqlite")
        let first = try ForgeStore(path: path)
        let second = try ForgeStore(path: path)
        let perWriter = 40

        let writers = [("first", first, 0), ("first", first, 1), ("second", second, 0), ("second", second, 1)]
        _ = try await onThreads(writers.count) { index in
            let (name, store, writer) = writers[index]
            let run = sampleRun("\(name)-\(writer)")
            try store.insertRun(run)
            var updated = run
            for index in 0 ..< perWriter {
                _ = try store.appendStageEvent(StageEvent(runID: run.id, stage: "fix", iteration: index,
                                                          status: StageEvent.ok, startedAt: Date()))
                try store.recordLLMCall(LLMCallRecord(runID: run.id, stage: "fix", iteration: index,
                                                      provider: "p", model: "m",
                                                      promptTokens: 10, completionTokens: 1))
                updated.iterations = index + 1
                try store.updateRun(updated)
                // Read what the other store wrote while writing: readers never block.
                _ = try store.runs(limit: 10)
            }
        }

        for store in [first, second] {
            let runs = try store.runs()
            #expect(Set(runs.map(\.id)) == ["first-0", "first-1", "second-0", "second-1"])
            for run in runs {
                #expect(run.iterations == perWriter)
                #expect(try store.stageEvents(runID: run.id).map(\.iteration) == Array(0 ..< perWriter))
                #expect(try store.usage(runID: run.id) == Usage(promptTokens: 10 * perWriter, completionTokens: perWriter))
            }
        }
    }
}
