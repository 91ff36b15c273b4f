import Foundation

/// Where forge keeps its state and finds its resources, resolved once from the environment.
///
/// State follows the XDG base directories: `$XDG_DATA_HOME/forge` (default `~/.local/share/forge`)
/// holds the database, the local model and its server's venv. Resources (`Templates/`, `Sandboxes/`)
/// ship beside the binary: in a source checkout they are found by walking up from the executable
/// (`.build/debug/forge` → the checkout), in an install under `<prefix>/share/forge`.
public struct ForgePaths: Sendable, Equatable {
    /// `$XDG_DATA_HOME/forge`.
    public var dataHome: URL
    /// `$XDG_CONFIG_HOME/forge`.
    public var configHome: URL
    /// The directory holding `Templates/` and `Sandboxes/`, when one was found.
    public var resources: URL?

    public init(dataHome: URL, configHome: URL, resources: URL?) {
        self.dataHome = dataHome
        self.configHome = configHome
        self.resources = resources
    }

    /// Resolves paths from an environment (normally `ProcessInfo.processInfo.environment`).
    public static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment,
                               executable: URL? = Bundle.main.executableURL) -> ForgePaths {
        let home = URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory(), isDirectory: true)
        func base(_ variable: String, _ fallback: String) -> URL {
            if let value = environment[variable], value.hasPrefix("/") {
                return URL(fileURLWithPath: value, isDirectory: true)
            }
            return home.appendingPathComponent(fallback, isDirectory: true)
        }
        let data = base("XDG_DATA_HOME", ".local/share").appendingPathComponent("forge", isDirectory: true)
        let config = base("XDG_CONFIG_HOME", ".config").appendingPathComponent("forge", isDirectory: true)
        return ForgePaths(dataHome: data, configHome: config,
                          resources: locateResources(environment: environment, executable: executable))
    }

    /// The database: `--db` wins, then `FORGE_DB`, then `dataHome/forge.sqlite`.
    public func database(override: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let override, !override.isEmpty { return URL(fileURLWithPath: override) }
        if let fromEnv = environment["FORGE_DB"], !fromEnv.isEmpty { return URL(fileURLWithPath: fromEnv) }
        return dataHome.appendingPathComponent("forge.sqlite")
    }

    public var templates: URL? { resources?.appendingPathComponent("Templates", isDirectory: true) }
    public var sandboxes: URL? { resources?.appendingPathComponent("Sandboxes", isDirectory: true) }

    /// `FORGE_RESOURCES`, else the nearest ancestor of the executable holding `Templates/` and
    /// `Sandboxes/`, else `<prefix>/share/forge` for a binary in `<prefix>/bin`.
    static func locateResources(environment: [String: String], executable: URL?) -> URL? {
        let fm = FileManager.default
        func holdsResources(_ dir: URL) -> Bool {
            var isDir: ObjCBool = false
            return fm.fileExists(atPath: dir.appendingPathComponent("Templates").path, isDirectory: &isDir) && isDir.boolValue
                && fm.fileExists(atPath: dir.appendingPathComponent("Sandboxes").path, isDirectory: &isDir) && isDir.boolValue
        }
        if let explicit = environment["FORGE_RESOURCES"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit, isDirectory: true)
        }
        guard let executable else { return nil }
        var dir = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0 ..< 8 {
            if holdsResources(dir) { return dir }
            let share = dir.appendingPathComponent("share/forge", isDirectory: true)
            if holdsResources(share) { return share }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { break }
            dir = parent
        }
        return nil
    }
}
