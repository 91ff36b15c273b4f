import ArgumentParser
import ForgeCore
import Foundation
import Logging

/// Flags every command that touches state shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The forge database.", discussion: "Default: $FORGE_DB, else $XDG_DATA_HOME/forge/forge.sqlite.", valueName: "path"))
    var db: String?

    @Flag(name: [.short, .long], help: "Log what forge does (HTTP retries, sandbox commands) to stderr.")
    var verbose = false

    var paths: ForgePaths { ForgePaths.resolve() }

    func databaseURL() -> URL { paths.database(override: db) }

    /// A logger for `label`; level and destination come from the bootstrap in ``ForgeEntry``.
    func logger(_ label: String) -> Logger { Logger(label: label) }
}
