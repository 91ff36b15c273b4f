import ForgeCore
import ForgeLLM
import ForgePipeline
import ForgePrompts
import ForgeSandbox
import ForgeStore
import Foundation
import Testing

/// `forge bench` over three HumanEval dev tasks on recorded local-model transcripts, both modes.
@Suite struct BenchReplayTests {
    static let tasksDirectory = packageRoot.appendingPathComponent("Fixtures/bench/humaneval-3")

    func tasks() throws -> [BenchTask] {
        try ["HumanEval_0", "HumanEval_2", "HumanEval_4"].map { id in
            let folder = Self.tasksDirectory.appendingPathComponent(id)
            return BenchTask(id: id, spec: try String(contentsOf: folder.appendingPathComponent("spec.md"), encoding: .utf8),
                             language: "python", hiddenTests: try BenchTask.hiddenTests(in: folder))
        }
    }

    func runner(cassette: String) throws -> (BenchRunner, ReplayModel) {
        let replay = try ReplayModel(cassette: cassettes.appendingPathComponent(cassette))
        let profile = try SandboxProfile.load(named: "python", in: packageRoot.appendingPathComponent("Sandboxes"))
        let runner = BenchRunner(model: replay, templates: try TemplateLibrary(builtIn: packageRoot.appendingPathComponent("Templates")),
                                 profile: profile, verifier: TestVerifier(profile: profile, runner: BubblewrapRunner()),
                                 store: try ForgeStore.inMemory(), settings: PipelineSettings(spec: "", maxIterations: 4))
        return (runner, replay)
    }

    @Test(arguments: [BenchMode.pipeline, .singleShot])
    func threeTasksAreSolvedAndGradedByTheirHiddenTests(_ mode: BenchMode) async throws {
        let file = mode == .pipeline ? "bench-pipeline.json" : "bench-single-shot.json"
        let (runner, replay) = try runner(cassette: file)
        let finished = Finished()
        let results = await runner.run(try tasks(), mode: mode, jobs: 2) { finished.add($0.id) }

        #expect(results.map(\.id) == ["HumanEval_0", "HumanEval_2", "HumanEval_4"])
        #expect(finished.ids.sorted() == ["HumanEval_0", "HumanEval_2", "HumanEval_4"])
        #expect(replay.unusedInteractions().isEmpty)
        for result in results {
            #expect(!result.stopReason.hasPrefix("error"), "\(result.id): \(result.stopReason)")
            #expect(result.tokens > 0)
            #expect(result.hiddenSummary.contains("passed"))
            // Graded by exactly the one hidden test, not by forge's own tests.
            #expect(result.hiddenSummary.hasPrefix(result.passed ? "1 passed, 0 failed" : "0 passed, 1 failed"), "\(result.hiddenSummary)")
            if mode == .singleShot { #expect(result.iterations == 0 && result.stopReason == "single-shot") }
        }
        #expect(results.count { $0.passed } == Self.recordedPasses[mode])

        // The hidden tests never reached the model.
        let cassette = try Cassette.load(from: cassettes.appendingPathComponent(file))
        for request in cassette.interactions.compactMap(\.request) {
            for message in request.messages {
                #expect(!message.content.contains("def check(candidate)"))
                #expect(!message.content.contains("test_hidden"))
            }
        }
    }

    /// What the local model achieved when the cassettes were recorded (forge bench --record).
    static let recordedPasses: [BenchMode: Int] = [.pipeline: 3, .singleShot: 3]

    final class Finished: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [String] = []
        func add(_ id: String) { lock.withLock { list.append(id) } }
        var ids: [String] { lock.withLock { list } }
    }
}
