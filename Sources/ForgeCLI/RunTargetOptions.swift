import ArgumentParser

/// Where a run happens and how its result is printed: shared by `build` and `resume`.
struct RunTargetOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The git repository (default: the current directory; for resume, the run's own).", valueName: "path"))
    var repo: String?

    @Flag(help: "Print the result as one JSON object on stdout.")
    var json = false
}
