import Foundation
@testable import ForgeStore

/// A fresh directory under the system temp dir, removed by `remove()`; one per test so tests can run
/// in parallel.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("forge-store-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// A run with the fields a test does not care about filled in.
func sampleRun(_ id: String, startedAt: Date = Date(), spec: String = "add a fizzbuzz function") -> RunRecord {
    RunRecord(id: id, spec: spec, repoPath: "/tmp/repo", branch: "forge/\(id)",
              baseCommit: String(repeating: "a", count: 40), language: "swift",
              provider: "replay", model: "cassette", maxIterations: 4, startedAt: startedAt)
}
