import ArgumentParser

/// `forge model`: the embedded local model (Qwen2.5-Coder-1.5B-Instruct on llama.cpp's server).
struct ModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Install, serve, inspect or stop the embedded local model.",
        discussion: """
            The default provider is a real local model: Qwen2.5-Coder-1.5B-Instruct (Q4_K_M, 1.1 GB) \
            served by llama.cpp's OpenAI-compatible server on 127.0.0.1. Everything lives under \
            $XDG_DATA_HOME/forge/ (venv/, models/, server.json, server.log). forge build starts the \
            server when needed and reuses it.
            """,
        subcommands: [ModelInstallCommand.self, ModelServeCommand.self, ModelStatusCommand.self, ModelStopCommand.self]
    )
}
