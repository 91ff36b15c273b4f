import ArgumentParser
import ForgeCore
import ForgeLLM
import Foundation

/// `forge model stop`.
struct ModelStopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop the background local model server.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let server = LocalModelServer(layout: LocalModelLayout(dataHome: global.paths.dataHome), logger: global.logger("forge.model"))
        try await server.stop()
        print("local model server stopped")
    }
}
