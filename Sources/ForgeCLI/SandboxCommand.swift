import ArgumentParser

/// `forge sandbox`: the sandbox on its own, for writing and debugging profiles.
///
/// Named `SandboxCommandGroup` rather than `SandboxCommand` so it does not shadow ForgeSandbox's
/// `SandboxCommand` (one command to run in a sandbox) anywhere in this module.
struct SandboxCommandGroup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run commands in forge's sandbox by hand, to write or debug a language profile.",
        discussion: """
            `forge doctor` shows which backends work here and how each limit is enforced.
            """,
        subcommands: [SandboxRunCommand.self, SandboxBenchCommand.self]
    )
}
