import ForgeCore
import ForgeGit
import ForgePipeline
import ForgeLLM
import ForgePrompts
import ForgeSandbox
import ForgeStore
@_exported import ForgeTestSupport
import Foundation
import Testing

/// The forge checkout these tests run from (Templates/, Sandboxes/, Fixtures/ live at its root).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let cassettes = packageRoot.appendingPathComponent("Fixtures/cassettes")

/// The dirty repository every pipeline test runs in.
typealias DirtyRepository = TemporaryRepository

/// The pipeline's parts, real ones: templates and profile from this checkout, bubblewrap, SQLite.
func makePipeline(repository: URL, model: any ChatModel, store: ForgeStore) throws -> Pipeline {
    let templates = try TemplateLibrary(builtIn: packageRoot.appendingPathComponent("Templates"))
    let profile = try SandboxProfile.load(named: "python", in: packageRoot.appendingPathComponent("Sandboxes"))
    return Pipeline(repository: try GitRepository.open(at: repository), model: model, templates: templates, profile: profile,
                    verifier: TestVerifier(profile: profile, runner: BubblewrapRunner()), store: store)
}

/// Cassettes re-bind their request hashes when FORGE_CASSETTE_REBIND=1 (after a template change).
var rebindCassettes: Bool { ProcessInfo.processInfo.environment["FORGE_CASSETTE_REBIND"] == "1" }
