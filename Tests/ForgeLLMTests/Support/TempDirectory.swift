import Foundation

/// A fresh directory under the system temp dir, unique per test, removed by `remove()`.
struct TempDirectory {
    let url: URL

    init(_ label: String = "forge-llm-tests") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
