import ArgumentParser
import ForgeCore
import Foundation
import Logging

/// The process entry point: parses, runs, and turns every way of ending into the exit status of the
/// contract (ARCHITECTURE.md): 0 pass, 1 tests failing, 2 usage/config, 3 provider, 4 sandbox,
/// 5 interrupted.
public enum ForgeEntry {
    public static func main(arguments: [String]? = nil) async -> Never {
        bootstrapLogging(arguments: arguments ?? Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try ForgeCommand.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(0)
        } catch let error as ForgeError {
            FileHandle.standardError.write(Data("forge: error: \(error.description)\n".utf8))
            exit(error.code.exitStatus.rawValue)
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            // --help and --version arrive here as "errors" with a success code.
            if ForgeCommand.exitCode(for: error) == .success { ForgeCommand.exit(withError: error) }
            FileHandle.standardError.write(Data((ForgeCommand.fullMessage(for: error) + "\n").utf8))
            exit(ExitStatus.usage.rawValue)
        }
    }

    /// Every library logs through swift-log; forge sends it all to stderr (stdout carries results),
    /// at warning level unless `--verbose`/`-v` or `FORGE_LOG_LEVEL` (trace … critical) asks for more.
    static func bootstrapLogging(arguments: [String]) {
        let verbose = arguments.contains("--verbose") || arguments.contains("-v")
        let level = ProcessInfo.processInfo.environment["FORGE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
            ?? (verbose ? .debug : .warning)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
