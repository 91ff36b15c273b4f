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

        // Optional things that do not work are "--", not failures; the sandbox fails only when no backend works.
        func optional(_ ok: Bool, _ what: String, _ detail: String) {
            print("\(ok ? "ok  " : "--  ") \(what.padding(toLength: 14, withPad: " ", startingAt: 0)) \(detail)")
        }
        var backends: [String] = []
        do {
            try await BubblewrapRunner.checkAvailable()
            backends.append("bubblewrap")
            optional(true, "bubblewrap", "works (no network, private /tmp, only the workspace writable); the default --sandbox")
        } catch let error as ForgeError {
            optional(false, "bubblewrap", error.description)
        }
        for kind in ContainerEngine.Kind.allCases {
            let status = await ContainerEngine(kind).probeInBackground()
            if status.works { backends.append(kind.rawValue) }
            optional(status.works, kind.rawValue, status.detail + (status.hint.map { " (\($0))" } ?? ""))
        }
        report(!backends.isEmpty, "sandbox", backends.isEmpty
               ? "no backend works: forge build would refuse with exit 4 (see the lines above for the fix)"
               : "usable here: \(backends.joined(separator: ", ")); --sandbox none only when you pass it (no isolation)")
        let enforcement = LimitEnforcement.detect()
        report(true, "limits", "\(enforcement.summary); per limit (the defaults; profiles set their own):")
        for line in enforcement.describe(SandboxLimits()) {
            print("     \(("  " + line.limit).padding(toLength: 14, withPad: " ", startingAt: 0)) \(line.enforcement)")
        }

        if let sandboxes = paths.sandboxes {
            for name in SandboxProfile.availableNames(in: sandboxes) {
                do {
                    let profile = try SandboxProfile.load(named: name, in: sandboxes)
                    do {
                        let toolchain = try await TestVerifier(profile: profile, runner: UnsandboxedRunner(enforcement: enforcement))
                            .toolchain()
                        report(true, "profile", "\(name): toolchain \(toolchain.interpreter ?? "on PATH")")
                    } catch let error as ForgeError {
                        optional(false, "profile", "\(name): toolchain missing: \(error.description)")
                    }
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
