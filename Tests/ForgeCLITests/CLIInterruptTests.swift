import Foundation
import Testing

/// Ctrl-C during a run: exit status 5, the run recorded as interrupted, and `forge resume` finishes it.
@Suite struct CLIInterruptTests {
    @Test func interruptedRunExitsFiveAndResumes() throws {
        let repo = try makeRepository()
        defer { try? FileManager.default.removeItem(at: repo) }
        let db = repo.path + ".sqlite"
        let listener = try SilentListener()
        defer { listener.close() }

        // A provider that accepts the connection and never answers: the PM stage waits until Ctrl-C.
        let stderrFile = repo.path + ".stderr"
        FileManager.default.createFile(atPath: stderrFile, contents: nil)
        let process = Process()
        process.executableURL = ForgeBinary.executable
        process.arguments = ["build", "--provider", "local", "--base-url", "http://127.0.0.1:\(listener.port)/v1",
                             "--db", db, "--json", CLIBuildTests.spec]
        process.currentDirectoryURL = repo
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle(forWritingAtPath: stderrFile)
        try process.run()
        try waitFor(file: stderrFile, toContain: "writing requirements")
        process.interrupt()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()

        #expect(process.terminationStatus == 5, "stderr: \((try? String(contentsOfFile: stderrFile, encoding: .utf8)) ?? "")")
        let result = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        #expect(result["status"] as? String == "interrupted")
        let runID = try #require(result["run"] as? String)
        let log = try ForgeBinary.run(["log", runID, "--db", db], in: repo)
        #expect(log.stdout.contains("interrupted"))

        let cassette = ForgeBinary.packageRoot.appendingPathComponent("Fixtures/cassettes/textstats-fix.json").path
        let resumed = try ForgeBinary.run(["resume", runID, "--provider", "replay", "--cassette", cassette, "--db", db], in: repo)
        #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
        #expect(resumed.stdout.contains("✔ tests pass"))
        #expect(try ForgeBinary.run(["log", runID, "--db", db], in: repo).stdout.contains("passed"))
    }

    private func waitFor(file: String, toContain text: String) throws {
        for _ in 0 ..< 600 {
            if let content = try? String(contentsOfFile: file, encoding: .utf8), content.contains(text) { return }
            Thread.sleep(forTimeInterval: 0.1)
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
