import ForgeCore
import ForgeGit
import ForgePrompts
import ForgeSandbox
import ForgeStore
import Foundation
import Logging

extension Pipeline {
    /// The stages in order, then the fix loop. Returns the stop reason.
    func runStages(_ settings: PipelineSettings, state: inout RunState, ledger: UsageLedger) async throws -> String {
        let spec = settings.spec
        let initial = Sampling(temperature: 0, seed: settings.seed)

        // Memory: the closest green spec of the past, if one is similar enough, guides PM and architect.
        let example = state.prd == nil || state.design == nil ? try? store.closestSolution(to: spec, language: profile.name) : nil
        if let example { logger.info("using a similar solved spec as an example", metadata: ["run": "\(example.runID)"]) }

        // PM → .forge/prd.json
        if state.prd == nil {
            let pmTemplate = try template("pm")
            let prd = try await runStage(.pm, iteration: 0, state: state, ledger: ledger,
                                         detail: example == nil ? "writing requirements" : "writing requirements (with a similar solved spec as an example)",
                                         sampling: initial) { conversation in
                try await PMAgent(template: pmTemplate).writePRD(spec: spec, language: self.profile.name, example: example,
                                                                  conversation: conversation)
            }
            state.prd = prd
            try await commit(.pm, summary: "requirements for \"\(prd.title)\"",
                             writing: try FileSet([".forge/spec.md": spec.hasSuffix("\n") ? spec : spec + "\n", ".forge/prd.json": prd.prettyJSON]),
                             variants: [pmTemplate.identifier], tests: nil, state: &state, ledger: ledger)
        }
        let prd = state.prd!

        // Architect → .forge/design.json
        if state.design == nil {
            let architectTemplate = try template("architect")
            let design = try await runStage(.architect, iteration: 0, state: state, ledger: ledger, detail: "designing", sampling: initial) { conversation in
                try await ArchitectAgent(template: architectTemplate, profile: self.profile)
                    .writeDesign(spec: spec, prd: prd, example: example, conversation: conversation)
            }
            state.design = design
            state.sourcePaths = design.files.map(\.path)
            try await commit(.architect, summary: "design with \(design.files.count) file(s): \(state.sourcePaths.joined(separator: ", "))",
                             writing: try FileSet([".forge/design.json": design.prettyJSON]),
                             variants: [architectTemplate.identifier], tests: nil, state: &state, ledger: ledger)
        }
        let design = state.design!

        // Developer → the source files, one call each.
        if !state.completedStages.contains(.developer) {
            let developerTemplate = try template("developer")
            var sources = FileSet()
            for file in design.files {
                let code = try await runStage(.developer, iteration: 0, state: state, ledger: ledger, detail: "writing \(file.path)", sampling: initial) { conversation in
                    try await DeveloperAgent(template: developerTemplate, language: self.profile.name, rules: self.profile.testRules)
                        .writeFile(file, spec: spec, prd: prd, design: design, conversation: conversation)
                }
                try sources.set(file.path, text: code)
            }
            try await commit(.developer, summary: "write \(sources.paths.joined(separator: ", "))", writing: sources,
                             variants: [developerTemplate.identifier], tests: nil, state: &state, ledger: ledger)
        }

        // Test writer → locked tests, then the first verify.
        if !state.completedStages.contains(.tests) {
            let testsTemplate = try template("tests")
            let writer = TestWriterAgent(template: testsTemplate, profile: profile)
            let snapshot = state
            var tests = FileSet()
            for file in design.files {
                let written = try await runStage(.tests, iteration: 0, state: state, ledger: ledger, detail: "writing tests for \(file.path)", sampling: initial) { conversation in
                    try await writer.writeTests(for: file, spec: spec, prd: prd, design: design, conversation: conversation) { path, content in
                    try await self.vacuousTests(path: path, content: content, state: snapshot)
                }
                }
                try tests.set(written.path, text: written.content)
            }
            // The spec's own examples become a test file forge writes itself: the strongest evidence.
            let stated = SpecExamples.parse(spec).map { (call: $0.call, expected: $0.expected) }
            let modules = state.sourcePaths.map { TestWriterAgent.importName(for: $0, sourceExtension: profile.sourceExtension) }
            var examplesPath: String?
            if let examplesFile = profile.testRules?.examplesTestFile(stated, modules: modules), tests[examplesFile.path] == nil {
                try tests.set(examplesFile.path, text: examplesFile.content)
                examplesPath = examplesFile.path
            }
            func lock() throws {
                state.testPaths = tests.paths.filter { $0 != TestLock.path }
                state.lockedTests = Dictionary(uniqueKeysWithValues: state.testPaths.map { ($0, SHA256.hex(tests[$0]!)) })
                try tests.set(TestLock.path, text: TestLock(files: state.lockedTests).json)
            }
            try lock()
            var firstReport = try await verify(changes: tests, iteration: 0, state: &state)
            if let examplesPath, let problem = profile.testRules?.parseError(in: firstReport, testPath: examplesPath) {
                // forge's own file must never doom a run: a spec example it misread is dropped, not locked.
                logger.warning("dropping \(examplesPath): it does not parse", metadata: ["error": "\(problem)"])
                _ = tests.remove(examplesPath)
                try lock()
                firstReport = try await verify(changes: tests, iteration: 0, state: &state)
            }
            state.lastSignature = FailureSignature(firstReport)
            try await commit(.tests, summary: "\(state.testPaths.joined(separator: ", ")) (\(firstReport.trailerValue))",
                             body: Self.failureBody(firstReport), writing: tests,
                             variants: [testsTemplate.identifier], tests: firstReport, state: &state, ledger: ledger)
        } else if state.lastReport == nil {
            // Resuming after the tests were written: re-run them on the tip for a full report.
            _ = try await verify(changes: FileSet(), iteration: state.iterations, state: &state)
        }
        if state.lastReport?.allPassed == true {
            if let reason = try await crossCheck(settings: settings, state: &state, ledger: ledger) { return reason }
            if state.lastReport?.allPassed == true { return "tests pass" }
        }
        return try await runFixLoop(settings, state: &state, ledger: ledger)
    }
}
