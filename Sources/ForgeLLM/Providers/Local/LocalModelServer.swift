import ForgeCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the embedded model's llama-cpp-python server on 127.0.0.1, on demand, and reuses it.
///
/// The server is detached (a session of its own) and recorded in `server.json`, so it outlives the
/// forge process that started it: loading the weights takes a while, and the next run finds it
/// healthy and uses it at once. `forge model stop` ends it.
public struct LocalModelServer: Sendable {
    public let layout: LocalModelLayout
    private let logger: Logger
    /// How long `start` waits for a new server to answer (loading 1 GB of weights on a slow disk).
    public var startupTimeout: Duration

    public init(layout: LocalModelLayout, logger: Logger, startupTimeout: Duration = .seconds(180)) {
        self.layout = layout
        self.logger = logger
        self.startupTimeout = startupTimeout
    }

    public func status() async -> LocalServerStatus {
        if let record = liveRecord() {
            switch await Self.health(of: record.baseURL) {
            case nil: return .running(pid: record.pid, port: record.port, baseURL: record.baseURL)
            case let reason?: return .unhealthy(pid: record.pid, port: record.port, reason: reason)
            }
        }
        return layout.isInstalled ? .stopped : .notInstalled
    }

    /// Returns the base URL of a healthy server, starting one when none runs.
    ///
    /// - Parameters:
    ///   - port: The port for a new server; nil picks a free one.
    ///   - contextSize: The context window (`--n_ctx`) of a new server.
    ///   - progress: Lines for the user while the server loads.
    /// - Returns: `http://127.0.0.1:<port>/v1`.
    /// - Throws: ``ForgeError`` `.providerUnreachable` when the model is not installed, the server
    ///   exits while starting (with the end of `server.log`), or it does not answer in time.
    public func start(port: Int? = nil, contextSize: Int = 8192,
                      progress: (@Sendable (String) -> Void)? = nil) async throws -> URL {
        if await status() == .notInstalled { throw notInstalled }
        let lock = try await ServerStartLock.acquire(layout.dataHome.appendingPathComponent("server.lock"))
        defer { lock.release() }
        switch await status() {
        case .running(_, _, let baseURL):
            logger.debug("reusing the local model server", metadata: ["url": "\(baseURL.absoluteString)"])
            return baseURL
        case .unhealthy(let pid, let port, _):
            // Alive but not answering: most likely another forge started it and it is still loading.
            progress?("waiting for the local model server (pid \(pid), port \(port)) to answer")
            let record = LocalServerRecord(pid: pid, port: port, model: layout.weights.path, started: "")
            return try await waitUntilHealthy(record, logOffset: nil, spawned: false, progress: progress)
        case .notInstalled:
            throw notInstalled
        case .stopped:
            return try await spawn(port: port, contextSize: contextSize, progress: progress)
        }
    }

    private var notInstalled: ForgeError {
        ForgeError(.providerUnreachable, "the local model is not installed in \(layout.dataHome.path)",
                   hint: "run `forge model install` (it builds llama-cpp-python and downloads the 1.1 GB weights once)")
    }

    /// Stops the server recorded in `server.json` (SIGTERM, then SIGKILL) and forgets it.
    /// - Throws: ``ForgeError`` `.io` when the process survives SIGKILL.
    public func stop() async throws {
        guard let record = LocalServerRecord.load(from: layout.serverState) else { return }
        if isOurServer(record.pid), DetachedProcess.state(of: record.pid) == .running {
            logger.info("stopping the local model server", metadata: ["pid": "\(record.pid)"])
            guard await DetachedProcess.terminate(record.pid, grace: .seconds(10)) else {
                throw ForgeError(.io, "the local model server (pid \(record.pid)) did not stop",
                                 hint: "kill it by hand: kill -9 \(record.pid)")
            }
        }
        try? FileManager.default.removeItem(at: layout.serverState)
    }

    private func spawn(port: Int?, contextSize: Int, progress: (@Sendable (String) -> Void)?) async throws -> URL {
        let port = try port ?? DetachedProcess.freeLoopbackPort()
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: layout.dataHome, withIntermediateDirectories: true)
        if !fileManager.fileExists(atPath: layout.serverLog.path) {
            _ = fileManager.createFile(atPath: layout.serverLog.path, contents: nil)
        }
        let logOffset = LocalModelLayout.fileSize(layout.serverLog) ?? 0
        // llama-cpp-python's server cuts off a streaming answer when another request arrives
        // (interrupt_requests defaults to True): two forge runs sharing it would get each other's
        // answers truncated or empty. Queued, each waits its turn and gets its whole answer.
        let arguments = ["-m", "llama_cpp.server", "--model", layout.weights.path, "--host", "127.0.0.1",
                         "--port", String(port), "--n_ctx", String(contextSize), "--interrupt_requests", "False"]
        var environment = ProcessInfo.processInfo.environment
        // Without it, OpenMP threads spin while waiting and two cores crawl at 1.5 tokens/s. Thread
        // counts stay llama-cpp-python's (half the cores generate, all of them read the prompt): on a
        // busy two-core machine one generating thread measured as fast as two.
        environment["OMP_WAIT_POLICY"] = "PASSIVE"
        let header = "--- forge started the server at \(ISO8601DateFormatter().string(from: Date())) on port \(port)\n"
        if let handle = try? FileHandle(forWritingTo: layout.serverLog) {
            _ = try? handle.seekToEnd()
            try? handle.write(contentsOf: Data(header.utf8))
            try? handle.close()
        }
        let pid = try DetachedProcess.spawn(layout.python, arguments: arguments, environment: environment, log: layout.serverLog)
        let record = LocalServerRecord(pid: pid, port: port, model: layout.weights.path,
                                       started: ISO8601DateFormatter().string(from: Date()))
        try record.save(to: layout.serverState)
        logger.info("started the local model server", metadata: ["pid": "\(pid)", "port": "\(port)"])
        progress?("starting the local model server on port \(port) (pid \(pid))")
        return try await waitUntilHealthy(record, logOffset: logOffset, spawned: true, progress: progress)
    }

    /// Polls the server until it answers (``health(of:)``); fails when the process dies or time
    /// runs out. A server this call did not spawn is never stopped: another forge run started it
    /// and may be in the middle of using it.
    private func waitUntilHealthy(_ record: LocalServerRecord, logOffset: Int?, spawned: Bool,
                                  progress: (@Sendable (String) -> Void)?) async throws -> URL {
        let started = ContinuousClock.now
        var lastReport = started
        while true {
            try Task.checkCancellation()
            if case .exited(let status) = DetachedProcess.state(of: record.pid) {
                try? FileManager.default.removeItem(at: layout.serverState)
                throw ForgeError(.providerUnreachable,
                                 "the local model server exited while starting (\(DetachedProcess.describe(status)))",
                                 hint: "the end of \(layout.serverLog.path) says:\n\(logTail(from: logOffset))")
            }
            if await Self.health(of: record.baseURL) == nil {
                progress?("the local model server is ready at \(record.baseURL.absoluteString)")
                return record.baseURL
            }
            let now = ContinuousClock.now
            if now - started > startupTimeout {
                guard spawned else {
                    throw ForgeError(.providerUnreachable,
                                     "the local model server (pid \(record.pid), port \(record.port)) did not answer within \(startupTimeout.components.seconds)s; forge left it running, as another run may be using it",
                                     hint: "if it hangs, `forge model stop` ends it and the next run starts a new one; the end of \(layout.serverLog.path) says:\n\(logTail(from: logOffset))")
                }
                _ = await DetachedProcess.terminate(record.pid, grace: .seconds(5))
                try? FileManager.default.removeItem(at: layout.serverState)
                throw ForgeError(.providerUnreachable,
                                 "the local model server did not answer within \(startupTimeout.components.seconds)s, so forge stopped it",
                                 hint: "the end of \(layout.serverLog.path) says:\n\(logTail(from: logOffset))")
            }
            if now - lastReport >= .seconds(10) {
                lastReport = now
                progress?("loading the local model… (\((now - started).components.seconds)s)")
            }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    /// The server in `server.json` when its process is alive; a stale file is removed.
    private func liveRecord() -> LocalServerRecord? {
        guard let record = LocalServerRecord.load(from: layout.serverState) else { return nil }
        if DetachedProcess.state(of: record.pid) == .running, isOurServer(record.pid) { return record }
        try? FileManager.default.removeItem(at: layout.serverState)
        return nil
    }

    /// Guards against a recycled pid: the process must be running llama_cpp.server.
    private func isOurServer(_ pid: pid_t) -> Bool {
        guard let commandLine = DetachedProcess.commandLine(of: pid) else { return true }
        return commandLine.contains("llama_cpp.server")
    }

    /// The last lines of the server log written since `offset`.
    private func logTail(from offset: Int?, lines: Int = 15) -> String {
        guard let data = FileManager.default.contents(atPath: layout.serverLog.path) else { return "(no log)" }
        let start = min(offset ?? 0, data.count)
        let text = String(decoding: data[start...], as: UTF8.self)
        let tail = text.split(separator: "\n", omittingEmptySubsequences: true).suffix(lines)
        return tail.isEmpty ? "(the log is empty)" : tail.joined(separator: "\n")
    }

    /// nil when the server answers, else why not. Answering is `GET <base>/models` with 200 or,
    /// when that waits, any HTTP answer at `/`: llama-cpp-python takes the model's lock for
    /// `/v1/models`, so while another forge run's answer is generated (and behind every request
    /// queued for it) the route waits minutes, though the server is up and will serve this run in
    /// turn. Only a listening server answers `/`: it loads the weights before it opens its port.
    static func health(of baseURL: URL) async -> String? {
        switch await answer(to: baseURL.appendingPathComponent("models")) {
        case .status(200):
            return nil
        case .status(let status):
            return "GET /v1/models answered HTTP \(status)"
        case .silent:
            if case .status = await answer(to: baseURL.deletingLastPathComponent()) { return nil }
            return "GET /v1/models did not answer within 3s"
        case .failed(let reason):
            return "GET /v1/models failed: \(reason)"
        }
    }

    private enum Answer {
        case status(Int)
        case silent
        case failed(String)
    }

    private static func answer(to url: URL) async -> Answer {
        var request = URLRequest(url: url)
        request.httpMethod = "GET"
        let stream = HTTPStream(request: request, idleTimeout: 3)
        defer { stream.close() }
        do {
            for try await event in stream.events {
                if case .head(let status, _) = event { return .status(status) }
            }
            return .failed("no answer")
        } catch HTTPStreamError.idleTimeout {
            return .silent
        } catch {
            return .failed("\(error)")
        }
    }
}
