import ForgeCore
import Foundation
import Testing
@testable import ForgeStore

@Suite struct StageEventStoreTests {
    @Test func stageEventsComeBackInAppendOrderWithIds() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try ForgeStore(path: dir.file("forge.sqlite"))
        let run = sampleRun("20260105-000000-0001")
        try store.insertRun(run)
        let start = Date(timeIntervalSinceReferenceDate: 790_000_000.5)
        let stages = ["pm", "architect", "developer", "tests", "verify", "analyst", "fix", "verify"]
        var appended: [StageEvent] = []
        for (index, stage) in stages.enumerated() {
            let event = StageEvent(runID: run.id, stage: stage, iteration: index >= 6 ? 1 : 0,
                                   status: stage == "verify" && index == 4 ? StageEvent.failed : StageEvent.ok,
                                   commit: stage == "verify" ? nil : String(repeating: "\(index)", count: 40),
                                   testsPassed: stage == "verify" ? index : nil,
                                   testsFailed: stage == "verify" ? 8 - index : nil,
                                   promptTokens: 100 * index, completionTokens: 10 * index,
                                   detail: stage == "analyst" ? "off by one in fizz" : nil,
                                   startedAt: start.addingTimeInterval(Double(index)),
                                   finishedAt: start.addingTimeInterval(Double(index) + 0.75))
            let stored = try store.appendStageEvent(event)
            let id = try #require(stored.id)
            if let previous = appended.last?.id { #expect(id > previous) }
            var expected = event
            expected.id = id
            #expect(stored == expected)
            appended.append(stored)
        }
        #expect(try store.stageEvents(runID: run.id) == appended)
        #expect(try store.stageEvents(runID: "another-run").isEmpty)
    }

    @Test func llmCallsAreListedAndSummedPerRun() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try ForgeStore(path: dir.file("forge.sqlite"))
        let run = sampleRun("20260105-000000-0002")
        let other = sampleRun("20260105-000000-0003")
        try store.insertRun(run)
        try store.insertRun(other)
        #expect(try store.usage(runID: run.id) == .zero)

        let calls = [
            LLMCallRecord(runID: run.id, stage: "pm", provider: "openai", model: "gpt-x",
                          promptTokens: 1200, completionTokens: 300, latencySeconds: 1.25),
            LLMCallRecord(runID: run.id, stage: "developer", iteration: 0, provider: "openai", model: "gpt-x",
                          promptTokens: 50, completionTokens: 0, latencySeconds: 0.5, ok: false,
                          error: "HTTP 429: rate limited"),
            LLMCallRecord(runID: run.id, stage: "fix", iteration: 2, provider: "ollama", model: "qwen",
                          promptTokens: 800, completionTokens: 420, latencySeconds: 7.0),
        ]
        for call in calls { try store.recordLLMCall(call) }
        try store.recordLLMCall(LLMCallRecord(runID: other.id, stage: "pm", provider: "p", model: "m",
                                              promptTokens: 9_999, completionTokens: 9_999))

        let stored = try store.llmCalls(runID: run.id)
        #expect(stored.count == 3)
        #expect(stored.allSatisfy { $0.id != nil })
        #expect(stored.map { call in var copy = call; copy.id = nil; return copy } == calls)
        #expect(try store.usage(runID: run.id) == Usage(promptTokens: 2050, completionTokens: 720))
        #expect(try store.usage(runID: other.id) == Usage(promptTokens: 9_999, completionTokens: 9_999))
        #expect(try store.usage(runID: "no-such-run") == .zero)
    }

    @Test func eventsForAnUnknownRunAreRefused() throws {
        let store = try ForgeStore.inMemory()
        let event = StageEvent(runID: "ghost", stage: "pm", status: StageEvent.ok, startedAt: Date())
        let error = try #require(throws: ForgeError.self) { try store.appendStageEvent(event) }
        #expect(error.code == .store)
        #expect(error.message.contains("ghost"))
        let callError = try #require(throws: ForgeError.self) {
            try store.recordLLMCall(LLMCallRecord(runID: "ghost", stage: "pm", provider: "p", model: "m"))
        }
        #expect(callError.code == .store)
        #expect(try store.stageEvents(runID: "ghost").isEmpty)
        #expect(try store.llmCalls(runID: "ghost").isEmpty)
    }

    /// A provider error may echo a whole prompt back; the store keeps only the start of it.
    @Test func longNotesAreCapped() throws {
        let store = try ForgeStore.inMemory()
        let run = sampleRun("20260105-000000-0004")
        try store.insertRun(run)
        let huge = String(repeating: "prompt text ", count: 2_000)
        let event = try store.appendStageEvent(StageEvent(runID: run.id, stage: "pm", status: StageEvent.failed,
                                                          detail: huge, startedAt: Date()))
        let readBack = try #require(try store.stageEvents(runID: run.id).first)
        #expect(readBack.detail?.count == ForgeStore.maxNoteLength)
        #expect(readBack.detail?.hasSuffix("…") == true)
        #expect(readBack == event)
        try store.recordLLMCall(LLMCallRecord(runID: run.id, stage: "pm", provider: "p", model: "m", ok: false, error: huge))
        #expect(try store.llmCalls(runID: run.id).first?.error?.count == ForgeStore.maxNoteLength)

        let short = try store.appendStageEvent(StageEvent(runID: run.id, stage: "pm", status: StageEvent.ok,
                                                          detail: "fine", startedAt: Date()))
        #expect(short.detail == "fine")
    }
}
