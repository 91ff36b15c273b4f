import Foundation

/// Where the embedded model's server stands, as `forge model status` shows it.
public enum LocalServerStatus: Sendable, Equatable {
    /// The venv or the weights are missing: `forge model install` first.
    case notInstalled
    /// Installed, no server running.
    case stopped
    /// A server answers at `baseURL` (`http://127.0.0.1:<port>/v1`).
    case running(pid: Int32, port: Int, baseURL: URL)
    /// The server's process is alive but does not answer (still loading the model, or stuck).
    case unhealthy(pid: Int32, port: Int, reason: String)
}

/// `server.json`: what a forge process that started the server leaves for the next one.
struct LocalServerRecord: Codable, Equatable {
    var pid: Int32
    var port: Int
    var model: String
    /// ISO 8601.
    var started: String

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)/v1")! }

    static func load(from url: URL) -> LocalServerRecord? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return try? JSONDecoder().decode(LocalServerRecord.self, from: data)
    }

    func save(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: url, options: .atomic)
    }
}
