import Foundation
import Testing

/// Ctrl-C during a run: exit status 5, the run recorded as interrupted, and `forge resume` finishes it.
@Suite struct CLIInterruptTests {
    @Test func interruptedRunExitsFiveAndResumes() async throws {
        let temporary = try TemporaryRepository()
        let repo = temporary.root
        defer { temporary.remove() }
        let db = repo.path + ".sqlite"
        let listener = try SilentListener()
        defer { listener.close() }

        // A provider that accepts the connection and never answers: the PM stage waits until Ctrl-C.
        let stderrFile = repo.path + ".stderr"
        _ = FileManager.default.createFile(atPath: stderrFile, contents: nil)
        let process = Process()
        process.executableURL = ForgeBinary.executable
        process.arguments = ["build", "--provider", "local", "--base-url", "http://127.0.0.1:\(listener.port)/v1",
                             "--db", db, "--json", CLIBuildTests.spec]
        process.currentDirectoryURL = repo
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle(forWritingAtPath: stderrFile)
        try process.run()
        try await waitFor(file: stderrFile, toContain: "writing requirements")
        process.interrupt()
        let output = await Self.offPool {
            let data = stdout.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return data
        }

        #expect(process.terminationStatus == 5, "stderr: \((try? String(contentsOfFile: stderrFile, encoding: .utf8)) ?? "")")
        let result = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        #expect(result["status"] as? String == "interrupted")
        let runID = try #require(result["run"] as? String)
        let log = try await ForgeBinary.run(["log", runID, "--db", db], in: repo)
        #expect(log.stdout.contains("interrupted"))

        let cassette = ForgeBinary.packageRoot.appendingPathComponent("Fixtures/cassettes/textstats-fix.json").path
        // From another directory: the run remembers its repository.
        let resumed = try await ForgeBinary.run(["resume", runID, "--provider", "replay", "--cassette", cassette, "--no-cross-check", "--db", db],
                                                in: FileManager.default.temporaryDirectory)
        #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
        #expect(resumed.stdout.contains("✔ tests pass"))
        let finalLog = try await ForgeBinary.run(["log", runID, "--db", db], in: repo)
        #expect(finalLog.stdout.contains("passed"))
    }

    @Test func anInterruptedBenchReportsOnlyWhatFinished() async throws {
        let listener = try SilentListener()
        defer { listener.close() }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("forge-bench-int-\(UUID().uuidString)")
        let stderrFile = scratch.path + ".stderr"
        _ = FileManager.default.createFile(atPath: stderrFile, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: stderrFile) }
        let process = Process()
        process.executableURL = ForgeBinary.executable
        process.arguments = ["bench", ForgeBinary.packageRoot.appendingPathComponent("Fixtures/bench/humaneval-3").path,
                             "--mode", "single-shot", "--provider", "local", "--base-url", "http://127.0.0.1:\(listener.port)/v1", "--json"]
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle(forWritingAtPath: stderrFile)
        try process.run()
        // The first task's model call waits on a server that never answers, until Ctrl-C.
        try await waitFor(file: stderrFile, toContain: "bench: 3 task(s)")
        try await Task.sleep(for: .milliseconds(500))
        process.interrupt()
        let output = await Self.offPool {
            let data = stdout.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return data
        }
        let stderr = (try? String(contentsOfFile: stderrFile, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 5, "\(stderr)")
        // The task cut short is not a failure, and no later task starts: nothing was measured.
        let object = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any], "\(stderr)")
        #expect((object["tasks"] as? [Any])?.isEmpty == true)
        #expect((object["summary"] as? [String: Any])?["total"] as? Int == 0)
        #expect(stderr.contains("bench interrupted: the report covers the 0 of 3 task(s) that finished"))
        #expect(!stderr.contains("[1/3]"))
    }

    private static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in DispatchQueue.global().async { continuation.resume(returning: work()) } }
    }

    private func waitFor(file: String, toContain text: String) async throws {
        for _ in 0 ..< 600 {
            if let content = try? String(contentsOfFile: file, encoding: .utf8), content.contains(text) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CLIFailure("forge never printed '\(text)'")
    }
}

/// A TCP socket on 127.0.0.1 that completes connections (via the listen backlog) but never reads or
/// answers: the shape of a model server that hangs.
final class SilentListener {
    let port: Int
    private let socketFD: Int32

    init() throws {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.socketFD = socketFD
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(socketFD, 16) == 0 else { throw CLIFailure("cannot listen on 127.0.0.1") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(socketFD) }
}
