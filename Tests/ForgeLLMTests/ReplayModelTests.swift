import ForgeCore
import Foundation
import Synchronization
import Testing
@testable import ForgeLLM

/// A model that answers from a table, counting calls: the inner model for RecordingModel tests.
final class TableModel: ChatModel {
    let providerName = "table"
    let modelName = "table-1"
    let supportsJSONSchema = false
    let calls = Mutex(0)

    func complete(_ request: ChatRequest, progress: (@Sendable (ChatProgress) -> Void)?) async throws -> ChatResponse {
        let count = calls.withLock { $0 += 1; return $0 }
        let last = request.messages.last?.content ?? ""
        return ChatResponse(content: "answer \(count) to \(last)", usage: Usage(promptTokens: 10, completionTokens: 3),
                            model: modelName, finishReason: "stop", latencySeconds: 0.5)
    }
}

@Suite struct ReplayModelTests {
    func request(_ purpose: String, _ prompt: String) -> ChatRequest {
        ChatRequest(purpose: purpose, messages: [ChatMessage(.system, "You are the \(purpose)."), ChatMessage(.user, prompt)])
    }

    func answer(_ text: String) -> ChatResponse {
        ChatResponse(content: text, usage: Usage(promptTokens: 5, completionTokens: 2), model: "recorded-model",
                     finishReason: "stop", latencySeconds: 1.25)
    }

    func writeCassette(_ interactions: [Cassette.Interaction], in dir: TempDirectory, name: String = "run.json") throws -> URL {
        let url = dir.file(name)
        try Cassette(provider: "local", model: "qwen-test", interactions: interactions).save(to: url)
        return url
    }

    @Test func answersByFingerprintWhateverTheOrder() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let pm = request("pm", "todo app"), architect = request("architect", "design it")
        let url = try writeCassette([.init(request: pm, response: answer("PRD")),
                                     .init(request: architect, response: answer("DESIGN"))], in: dir)
        let replay = try ReplayModel(cassette: url)
        #expect(replay.providerName == "replay")
        #expect(replay.modelName == "qwen-test")
        #expect(replay.unusedInteractions() == ["pm", "architect"])

        let updates = Mutex<[String]>([])
        let design = try await replay.complete(architect) { update in updates.withLock { $0.append(update.text) } }
        #expect(design == answer("DESIGN"))
        #expect(updates.withLock { $0 } == ["DESIGN"])
        #expect(replay.unusedInteractions() == ["pm"])
        // The purpose is a label, not part of the match.
        var relabelled = pm
        relabelled.purpose = "pm-again"
        #expect(try await replay.complete(relabelled).content == "PRD")
        #expect(replay.unusedInteractions().isEmpty)
    }

    @Test func usesEachRecordingOnceInOrder() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let fix = request("fix", "make the test pass")
        let url = try writeCassette([.init(request: fix, response: answer("first")),
                                     .init(request: fix, response: answer("second"))], in: dir)
        let replay = try ReplayModel(cassette: url)
        #expect(try await replay.complete(fix).content == "first")
        #expect(try await replay.complete(fix).content == "second")
        let error = await #expect(throws: ForgeError.self) { try await replay.complete(fix) }
        #expect(error?.code == .replayMismatch)
    }

    @Test func mismatchNamesThePurposeTheFileAndTheWayOut() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let recorded = request("pm", "todo app")
        let url = try writeCassette([.init(request: recorded, response: answer("PRD"))], in: dir, name: "todo-python.json")
        let replay = try ReplayModel(cassette: url)
        let changed = request("pm", "todo app with due dates")
        let error = try #require(await #expect(throws: ForgeError.self) { try await replay.complete(changed) })
        #expect(error.code == .replayMismatch)
        #expect(error.message == "replay: no recorded response for the 'pm' request (hash \(changed.fingerprint.prefix(8))) in todo-python.json")
        let hint = try #require(error.hint)
        #expect(hint.contains(String(recorded.fingerprint.prefix(8))))
        #expect(hint.contains("FORGE_CASSETTE_REBIND=1"))
        #expect(replay.unusedInteractions() == ["pm"])

        let other = try #require(await #expect(throws: ForgeError.self) { try await replay.complete(request("analyst", "why")) })
        #expect(other.message.contains("'analyst'"))
        #expect(other.hint?.contains("no unused 'analyst' interaction") == true)
    }

    @Test func rebindRewritesTheCassetteForTheNextRun() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let url = try writeCassette([.init(request: request("pm", "old prompt"), response: answer("PRD")),
                                     .init(request: request("architect", "old design prompt"), response: answer("DESIGN"))], in: dir)
        let edited = request("pm", "new prompt")
        let rebinding = try ReplayModel(cassette: url, rebind: true)
        #expect(try await rebinding.complete(edited).content == "PRD")
        #expect(rebinding.unusedInteractions() == ["architect"])

        let saved = try Cassette.load(from: url)
        #expect(saved.interactions[0].requestHash == edited.fingerprint)
        #expect(saved.interactions[0].request == edited)
        #expect(saved.interactions[1].request == request("architect", "old design prompt"))

        let fresh = try ReplayModel(cassette: url)
        #expect(try await fresh.complete(edited).content == "PRD")
        // Rebinding never crosses purposes.
        let error = await #expect(throws: ForgeError.self) {
            try await ReplayModel(cassette: url, rebind: true).complete(request("analyst", "x"))
        }
        #expect(error?.code == .replayMismatch)
    }

    @Test func fillsAHandWrittenCassette() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let url = dir.file("hand.json")
        try """
        {
          "version": 1, "provider": "local", "model": "qwen-test",
          "interactions": [
            {"purpose": "pm", "request_hash": "", "request": null,
             "response": {"content": "{\\"title\\": \\"Todo\\"}", "usage": {"prompt_tokens": 0, "completion_tokens": 0}}}
          ]
        }
        """.write(to: url, atomically: true, encoding: .utf8)
        let pm = request("pm", "todo app")
        let strict = try ReplayModel(cassette: url)
        let error = try #require(await #expect(throws: ForgeError.self) { try await strict.complete(pm) })
        #expect(error.hint?.contains("not bound to a request yet") == true)

        let response = try await ReplayModel(cassette: url, rebind: true).complete(pm)
        #expect(response.content == #"{"title": "Todo"}"#)
        #expect(response.model == "qwen-test")
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains("\"request_hash\" : \"\(pm.fingerprint)\""))
        #expect(try await ReplayModel(cassette: url).complete(pm).content == #"{"title": "Todo"}"#)
    }

    @Test func cassetteFilesArePrettySortedAndStable() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let url = try writeCassette([.init(purpose: "pm", requestHash: "", request: nil, response: answer("PRD"))], in: dir)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.hasSuffix("}\n"))
        #expect(text.contains("\n  \"interactions\" : ["))
        #expect(text.contains("\"request\" : null"))
        let keys = ["\"interactions\"", "\"model\"", "\"provider\"", "\"version\""].map { text.range(of: $0)!.lowerBound }
        #expect(keys == keys.sorted())
        // Loading and saving again changes nothing: reviewers see only real changes.
        let again = dir.file("again.json")
        try Cassette.load(from: url).save(to: again)
        #expect(try String(contentsOf: again, encoding: .utf8) == text)
    }

    @Test func badCassettesAreClearErrors() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let missing = #expect(throws: ForgeError.self) { try ReplayModel(cassette: dir.file("nope.json")) }
        #expect(missing?.code == .notFound)
        let broken = dir.file("broken.json")
        try #"{"version": 1, "provider": "x", "model": "y", "interactions": [{"purpose": "pm"}]}"#
            .write(to: broken, atomically: true, encoding: .utf8)
        let invalid = #expect(throws: ForgeError.self) { try ReplayModel(cassette: broken) }
        #expect(invalid?.code == .config)
        #expect(invalid?.message.contains("broken.json") == true)
        #expect(invalid?.message.contains("response") == true)
    }

    @Test func concurrentCallsEachGetOneRecording() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let same = request("developer", "write it")
        let url = try writeCassette((0 ..< 16).map { .init(request: same, response: answer("take \($0)")) }, in: dir)
        let replay = try ReplayModel(cassette: url)
        let answers = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0 ..< 16 { group.addTask { try await replay.complete(same).content } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(answers) == Set((0 ..< 16).map { "take \($0)" }))
        #expect(replay.unusedInteractions().isEmpty)
    }

    @Test func recordingThenReplayingGivesTheSameAnswers() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let url = dir.file("cassettes/recorded.json")
        let inner = TableModel()
        let recorder = try RecordingModel(wrapping: inner, cassette: url)
        #expect(recorder.trailerValue == "table/table-1")
        let requests = [request("pm", "todo"), request("architect", "design"), request("pm", "todo")]
        var live: [ChatResponse] = []
        for request in requests { live.append(try await recorder.complete(request)) }
        #expect(inner.calls.withLock { $0 } == 3)

        let saved = try Cassette.load(from: url)
        #expect(saved.provider == "table")
        #expect(saved.model == "table-1")
        #expect(saved.interactions.map(\.purpose) == ["pm", "architect", "pm"])
        #expect(saved.interactions.map(\.requestHash) == requests.map(\.fingerprint))

        // A second recorder appends to the same file.
        let more = try RecordingModel(wrapping: inner, cassette: url)
        live.append(try await more.complete(request("analyst", "why")))
        #expect(try Cassette.load(from: url).interactions.count == 4)

        let replay = try ReplayModel(cassette: url)
        #expect(replay.supportsJSONSchema == false)
        #expect(replay.modelName == "table-1")
        var replayed: [ChatResponse] = []
        for request in requests + [request("analyst", "why")] { replayed.append(try await replay.complete(request)) }
        #expect(replayed == live)
        #expect(replay.unusedInteractions().isEmpty)
    }

    @Test func rebindIsRequestedThroughTheEnvironment() {
        #expect(ReplayModel.rebindRequested(environment: ["FORGE_CASSETTE_REBIND": "1"]))
        #expect(!ReplayModel.rebindRequested(environment: ["FORGE_CASSETTE_REBIND": "0"]))
        #expect(!ReplayModel.rebindRequested(environment: [:]))
    }
}
