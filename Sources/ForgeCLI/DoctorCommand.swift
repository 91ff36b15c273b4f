import ArgumentParser
import ForgeCore
import ForgeGit
import ForgeLLM
import ForgeSandbox
import ForgeStore
import Foundation

/// `forge doctor`: what works here, and what to do about what doesn't.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check forge's resources, sandbox, database and local model, and say how to fix what fails."
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        var failures = 0
        func report(_ ok: Bool, _ what: String, _ detail: String) {
            if !ok { failures += 1 }
            print("\(ok ? "ok  " : "FAIL") \(what.padding(toLength: 14, withPad: " ", startingAt: 0)) \(detail)")
        }
        let paths = global.paths

        if let resources = paths.resources {
            report(true, "resources", resources.path)
        } else {
            report(false, "resources", "Templates/ and Sandboxes/ not found near the binary — set FORGE_RESOURCES")
        }

        do {
            try await BubblewrapRunner.checkAvailable()
            report(true, "sandbox", "bubblewrap works (no network, private /tmp, only the workspace writable)")
        } catch let error as ForgeError {
            report(false, "sandbox", error.description)
        }

        if let sandboxes = paths.sandboxes {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: sandboxes.path)) ?? [])
                .filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
            for name in names {
                do {
                    _ = try SandboxProfile.load(named: name, in: sandboxes)
                    report(true, "profile", name)
                } catch let error as ForgeError {
                    report(false, "profile", "\(name): \(error.description)")
                }
            }
        }

        do {
            _ = try ForgeStore(path: global.databaseURL())
            report(true, "database", global.databaseURL().path)
        } catch let error as ForgeError {
            report(false, "database", error.description)
        }

        let server = LocalModelServer(layout: LocalModelLayout(dataHome: paths.dataHome), logger: global.logger("forge.model"))
        let status = await server.status()
        report(true, "local model", status.description)

        if let repository = try? GitRepository.discover(startingAt: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
            report(true, "repository", repository.workdir?.path ?? repository.gitDirectory.path)
        } else {
            print("note repository    not inside a git repository here (forge build needs one)")
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
