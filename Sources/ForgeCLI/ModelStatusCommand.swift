import ArgumentParser
import ForgeCore
import ForgeLLM
import Foundation

/// `forge model status`.
struct ModelStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Say whether the local model is installed and serving.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let layout = LocalModelLayout(dataHome: global.paths.dataHome)
        let server = LocalModelServer(layout: layout, logger: global.logger("forge.model"))
        print(await server.status().description)
    }
}
