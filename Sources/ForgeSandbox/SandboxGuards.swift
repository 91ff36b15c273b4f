import Foundation

/// Host paths no sandbox mount may expose, checked before any bind is made.
///
/// Two kinds: *containers* (the home directories) may have a toolchain mounted from inside them —
/// pyenv lives in `~/.pyenv` — but may never be mounted themselves or through an ancestor; *secrets*
/// (`~/.ssh`, forge's own configuration, the shadow files) may not be mounted at all, neither
/// through an ancestor nor from inside.
public struct SandboxGuards: Sendable, Equatable {
    public var containers: [String]
    public var secrets: [String]

    public init(containers: [String], secrets: [String]) {
        self.containers = containers
        self.secrets = secrets
    }

    /// The guards for this host: the caller's home, `/root` and `/home`, and the usual secret places.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> SandboxGuards {
        var homes = ["/root", "/home"]
        if let home = environment["HOME"], home.hasPrefix("/"), home != "/" {
            homes.append(URL(fileURLWithPath: home).standardizedFileURL.path)
        }
        let homeSecrets = [".ssh", ".gnupg", ".aws", ".azure", ".config", ".docker", ".kube", ".netrc",
                           ".git-credentials", ".local/share/forge"]
        let secrets = homes.flatMap { home in homeSecrets.map { "\(home)/\($0)" } }
            + ["/etc/forge", "/etc/shadow", "/etc/gshadow", "/etc/ssh", "/etc/ssl/private", "/var/lib/forge"]
        return SandboxGuards(containers: homes, secrets: secrets)
    }

    /// The guarded path that mounting `path` would expose, or nil when the mount is allowed.
    public func exposed(by path: String) -> String? {
        if let home = containers.first(where: { BubblewrapArguments.path(path, contains: $0) }) { return home }
        return secrets.first { BubblewrapArguments.path(path, contains: $0) || BubblewrapArguments.path($0, contains: path) }
    }
}
