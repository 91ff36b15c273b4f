import ArgumentParser

/// `forge`: the root command. Each subcommand lives in its own file.
public struct ForgeCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "forge",
        abstract: "Turn a spec into tested code, one reviewable git commit per stage.",
        discussion: """
            Run inside a git repository. `forge build "spec"` writes requirements, a design, code and \
            tests, runs the tests in a sandbox and fixes the code until they pass or the budget is \
            spent. Every stage is a commit on the branch forge/<run-id>; your working tree, index and \
            HEAD are never touched.

            Exit status: 0 tests pass, 1 budget spent with tests failing, 2 usage or config error, \
            3 no model provider reachable, 4 sandbox unavailable, 5 interrupted (forge resume RUN).

            Start here:
              forge model install     (once: the embedded local model, 10-15 min)
              forge build "A Python module temperature.py with celsius_to_fahrenheit(c)"
              forge log               (the runs; forge log RUN for one run's stages)
            """,
        version: "0.1.0",
        subcommands: [BuildCommand.self, ResumeCommand.self, LogCommand.self, BenchCommand.self, ModelCommand.self, DoctorCommand.self,
                      SandboxCommandGroup.self]
    )

    public init() {}
}
