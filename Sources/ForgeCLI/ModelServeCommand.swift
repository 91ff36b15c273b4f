import ArgumentParser
import ForgeCore
import ForgeLLM
import Foundation

/// `forge model serve`.
struct ModelServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Start the local model server in the background (or report the one already running)."
    )

    @Option(help: "Port on 127.0.0.1 (default: a free one).")
    var port: Int?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let server = LocalModelServer(layout: LocalModelLayout(dataHome: global.paths.dataHome), logger: global.logger("forge.model"))
        let url = try await server.start(port: port)
        print("local model serving at \(url.absoluteString)")
    }
}
