import ForgeCore
import Foundation
import Logging
import Testing
@testable import ForgeLLM

@Suite struct LocalModelServerTests {
    let logger = Logger(label: "test.local-server")

    @Test func reportsNotInstalledAndRefusesToStart() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let server = LocalModelServer(layout: LocalModelLayout(dataHome: dir.url.appendingPathComponent("forge")), logger: logger)
        #expect(await server.status() == .notInstalled)
        let error = try #require(await #expect(throws: ForgeError.self) { try await server.start() })
        #expect(error.code == .providerUnreachable)
        #expect(error.hint?.contains("forge model install") == true)
        try await server.stop()
    }

    @Test func forgetsAStaleServerRecord() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let layout = LocalModelLayout(dataHome: dir.url)
        try FakeLocalInstall.make(layout)
        // pid_max is at most 2^22, so this pid cannot exist.
        try LocalServerRecord(pid: 2_000_000_000, port: 9, model: "x", started: "then").save(to: layout.serverState)
        #expect(await LocalModelServer(layout: layout, logger: logger).status() == .stopped)
        #expect(!FileManager.default.fileExists(atPath: layout.serverState.path))
    }

    @Test(.timeLimit(.minutes(2)))
    func startsADetachedServerReusesItAndStopsIt() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let layout = LocalModelLayout(dataHome: dir.url)
        try FakeLocalInstall.make(layout)
        let server = LocalModelServer(layout: layout, logger: logger)
        #expect(await server.status() == .stopped)

        let baseURL = try await server.start(contextSize: 4096)
        var stopped = false
        defer { if !stopped { Task { [server] in try? await server.stop() } } }
        guard case .running(let pid, let port, let statusURL) = await server.status() else {
            Issue.record("expected a running server, got \(await server.status())")
            return
        }
        #expect(statusURL == baseURL)
        #expect(baseURL.absoluteString == "http://127.0.0.1:\(port)/v1")

        let launch = try FakeLocalInstall.launch(layout)
        #expect(launch.pid == pid)
        #expect(launch.sid == pid) // a session of its own: it outlives forge and its terminal
        #expect(launch.omp == "PASSIVE")
        #expect(launch.args == ["-m", "llama_cpp.server", "--model", layout.weights.path, "--host", "127.0.0.1",
                                "--port", String(port), "--n_ctx", "4096", "--interrupt_requests", "False"])
        let record = try #require(LocalServerRecord.load(from: layout.serverState))
        #expect(record.pid == pid && record.port == port && record.model == layout.weights.path)
        #expect(try String(contentsOf: layout.serverLog, encoding: .utf8).contains("fake server listening on \(port)"))

        // Another forge process (another LocalModelServer value) finds and reuses it.
        let again = try await LocalModelServer(layout: layout, logger: logger).start()
        #expect(again == baseURL)
        #expect(try FakeLocalInstall.launch(layout).pid == pid)

        try await server.stop()
        stopped = true
        #expect(await server.status() == .stopped)
        #expect(DetachedProcess.state(of: pid) != .running)
        #expect(!FileManager.default.fileExists(atPath: layout.serverState.path))
    }

    @Test(.timeLimit(.minutes(2)))
    func reportsAServerThatDiesWhileStartingWithItsLog() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let layout = LocalModelLayout(dataHome: dir.url)
        try FakeLocalInstall.make(layout)
        try FakeLocalInstall.crashOnStart(layout)
        let server = LocalModelServer(layout: layout, logger: logger)
        let error = try #require(await #expect(throws: ForgeError.self) { try await server.start(port: try DetachedProcess.freeLoopbackPort()) })
        #expect(error.code == .providerUnreachable)
        #expect(error.message.contains("exited while starting (exit status 2)"))
        #expect(error.hint?.contains("fake server: failed to load model from \(layout.weights.path)") == true)
        #expect(!FileManager.default.fileExists(atPath: layout.serverState.path))
        #expect(await server.status() == .stopped)
    }

    /// Three forge runs shared one server in a session: a run that found `/v1/models` waiting (the
    /// real server answers it only between generations) waited 180 s, then stopped the server, and
    /// the two runs using it lost it mid-answer.
    @Test(.timeLimit(.minutes(2)))
    func aBusyServerIsReusedNotRestarted() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let layout = LocalModelLayout(dataHome: dir.url)
        try FakeLocalInstall.make(layout)
        let server = LocalModelServer(layout: layout, logger: logger)
        let baseURL = try await server.start()
        defer { Task { [server] in try? await server.stop() } }
        let pid = try FakeLocalInstall.launch(layout).pid
        try FakeLocalInstall.beBusy(layout)

        #expect(await server.status() == .running(pid: pid, port: baseURL.port!, baseURL: baseURL))
        let other = LocalModelServer(layout: layout, logger: logger, startupTimeout: .seconds(2))
        #expect(try await other.start() == baseURL)
        #expect(DetachedProcess.state(of: pid) == .running)
        #expect(try FakeLocalInstall.launch(layout).pid == pid)
    }

    @Test(.timeLimit(.minutes(2)))
    func aServerThatNeverAnswersIsLeftRunningByARunThatDidNotStartIt() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let layout = LocalModelLayout(dataHome: dir.url)
        try FakeLocalInstall.make(layout)
        let server = LocalModelServer(layout: layout, logger: logger)
        _ = try await server.start()
        defer { Task { [server] in try? await server.stop() } }
        let pid = try FakeLocalInstall.launch(layout).pid
        try FakeLocalInstall.hang(layout)

        guard case .unhealthy(pid, _, let reason) = await server.status() else {
            Issue.record("expected an unhealthy server, got \(await server.status())")
            return
        }
        #expect(reason.contains("did not answer within 3s"))
        let other = LocalModelServer(layout: layout, logger: logger, startupTimeout: .seconds(2))
        let error = try #require(await #expect(throws: ForgeError.self) { try await other.start() })
        #expect(error.message.contains("forge left it running"), "\(error.message)")
        #expect(error.hint?.contains("forge model stop") == true)
        #expect(DetachedProcess.state(of: pid) == .running)
        #expect(LocalServerRecord.load(from: layout.serverState)?.pid == pid)
    }
}
