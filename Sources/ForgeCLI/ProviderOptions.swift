import ArgumentParser

/// How to reach a model: shared by `build` and `resume`.
struct ProviderOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Model provider: local (default, the embedded model), openai, replay, or a [providers.NAME] from config.", valueName: "name"))
    var provider: String?

    @Option(help: ArgumentHelp("Model name for the provider (e.g. gpt-4o-mini).", valueName: "name"))
    var model: String?

    @Option(name: .customLong("base-url"), help: ArgumentHelp("OpenAI-compatible base URL, e.g. http://127.0.0.1:8080/v1 (with local: use that server instead of starting one).", valueName: "url"))
    var baseURL: String?

    @Option(help: ArgumentHelp("Recorded transcript for --provider replay.", valueName: "file"))
    var cassette: String?

    @Option(help: ArgumentHelp("Record every model exchange of this run into a cassette file.", valueName: "file"))
    var record: String?
}
