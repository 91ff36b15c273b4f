import Foundation
import ForgeSandbox

/// A fresh temp directory for one test, removed when the value is released by `remove()`.
struct TestWorkspace {
    let url: URL

    init(_ label: String = "ws") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("forge-sandbox-test-\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func write(_ relativePath: String, _ text: String) throws {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
    }

    func read(_ relativePath: String) throws -> String {
        try String(contentsOf: url.appendingPathComponent(relativePath), encoding: .utf8)
    }

    func exists(_ relativePath: String) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent(relativePath).path)
    }

    /// Copies files from `Fixtures/hostile/` into the workspace.
    func copyFixtures(_ names: [String]) throws {
        for name in names {
            try FileManager.default.copyItem(at: Repository.hostileFixtures.appendingPathComponent(name),
                                             to: url.appendingPathComponent(name))
        }
    }

    /// Copies `Fixtures/projects/<language>/<variant>/` into the workspace.
    func copyProject(_ language: String, _ variant: String) throws {
        let source = Repository.projects.appendingPathComponent("\(language)/\(variant)", isDirectory: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: url.appendingPathComponent(name))
        }
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Paths in this source checkout.
enum Repository {
    /// The package root: three levels above this file (Tests/ForgeSandboxTests/Support).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let sandboxes = root.appendingPathComponent("Sandboxes", isDirectory: true)
    static let hostileFixtures = root.appendingPathComponent("Fixtures/hostile", isDirectory: true)
    static let projects = root.appendingPathComponent("Fixtures/projects", isDirectory: true)

    static func profile(_ name: String) throws -> SandboxProfile {
        try SandboxProfile.load(named: name, in: sandboxes)
    }

    static func pythonProfile(timeoutSeconds: Double? = nil) throws -> SandboxProfile {
        var profile = try SandboxProfile.load(named: "python", in: sandboxes)
        if let timeoutSeconds { profile.limits.timeoutSeconds = timeoutSeconds }
        return profile
    }
}
