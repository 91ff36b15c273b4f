import ForgeCore
import Foundation
import Logging

/// Runs a project's build and tests in a sandbox and reads the result into a ``TestReport``.
///
/// The pipeline's Verify step: it knows the profile (commands, report path, toolchain probe) and a
/// runner, and returns what the Analyst needs — per-test outcomes, or, when no report came out, a
/// `problem` saying why together with the captured output. It never reports success on its own
/// account: ``TestReport/allPassed`` needs tests that ran and passed, and any exit status the report
/// does not explain becomes a `problem`.
public struct TestVerifier: Sendable {
    public let profile: SandboxProfile
    public let runner: any SandboxRunner
    private let logger: Logger
    private let toolchainCache = ToolchainCache()

    public init(profile: SandboxProfile, runner: any SandboxRunner,
                logger: Logger = Logger(label: "forge.verify")) {
        self.profile = profile
        self.runner = runner
        self.logger = logger
    }

    /// The profile's toolchain on this host: the probe runs once per verifier; a failure is not
    /// cached, so a fixed toolchain is picked up on the next call. A container runner brings its own
    /// toolchain: there `{interpreter}` is the profile's `image_interpreter` and nothing is mounted.
    public func toolchain() async throws -> ToolchainProbe {
        guard runner.usesHostToolchain else { return ToolchainProbe(interpreter: profile.imageInterpreter) }
        guard let probe = profile.probe else { return ToolchainProbe() }
        return try await toolchainCache.value {
            try await ToolchainProbe.run(probe, profileName: profile.name, logger: logger)
        }
    }

    /// Runs the build (if the profile has one) and the tests over `workspace`, and reads the report.
    ///
    /// A failed build becomes one error case named `build` carrying the compiler's diagnostics. A
    /// limit that stopped the run (timeout, OOM kill, CPU time…) is named in `problem`, and every
    /// limit event is also noted at the end of `output`.
    ///
    /// - Parameter timeoutSeconds: a shorter wall-clock limit than the profile's for this run (a
    ///   longer one is ignored): answers drawn only to be compared need not get the full time.
    /// - Throws: `ForgeError(.sandboxUnavailable)` when the toolchain probe or the sandbox fails to
    ///   start, `.config` when the profile cannot be applied. Failing tests, a broken build and a
    ///   timeout are reported, not thrown.
    public func verify(workspace: URL, timeoutSeconds: Double? = nil) async throws -> TestReport {
        var limits = profile.limits
        if let timeoutSeconds { limits.timeoutSeconds = min(limits.timeoutSeconds, timeoutSeconds) }
        let toolchain = try await toolchain()
        let report = ReportFile(workspace: workspace, relativePath: profile.reportPath)
        do {
            try report.clear()
            try report.prepareDirectories()
        } catch {
            throw ForgeError(.io, "cannot clear the old report or make its directory: \(profile.reportPath) in \(workspace.path): \(error.localizedDescription)",
                             hint: "check the workspace's permissions")
        }

        var elapsed = 0.0
        if let build = profile.buildCommand {
            let outcome = try await runner.run(command(try substitute(build, toolchain), toolchain, workspace, limits: limits))
            elapsed += outcome.durationSeconds
            if outcome.termination != .exited(0) {
                var problem: String? = "the build failed (\(Self.describe(outcome.termination)))"
                Self.note(outcome.limitEvents, in: &problem)
                let failure = CompilerDiagnostics.failureCase(output: outcome.output, pattern: profile.compileErrorPattern,
                                                              termination: outcome.termination)
                return TestReport(cases: [failure], termination: outcome.termination,
                                  output: Self.annotated(outcome.output, outcome.limitEvents),
                                  outputTruncated: outcome.outputTruncated, durationSeconds: elapsed, problem: problem)
            }
        }

        let outcome = try await runner.run(command(try substitute(profile.testCommand, toolchain), toolchain, workspace,
                                                limits: limits))
        elapsed += outcome.durationSeconds
        var cases: [TestReport.Case] = []
        var problem: String?
        let format = profile.format
        let read = report.read()
        switch read {
        case .refused(let why):
            problem = "the test report was not read: \(why)"
        case .missing, .data:
            var data: Data?
            if case .data(let bytes) = read { data = bytes }
            do {
                cases = try format.parse(report: data, output: outcome.output)
                if data == nil && cases.isEmpty {
                    problem = "\(profile.name) tests wrote no report at \(profile.reportPath) (\(Self.describe(outcome.termination)))"
                        + Self.lastLine(of: outcome.output).map { ": \($0)" }.orEmpty
                } else {
                    problem = Self.unexplained(outcome.termination, cases: cases)
                }
            } catch let error as ForgeError {
                problem = "\(profile.name) tests wrote an unreadable report: \(error.message)"
            }
        }
        if problem != nil { Self.note(outcome.limitEvents, in: &problem) }
        let result = TestReport(cases: cases, termination: outcome.termination,
                                output: Self.annotated(outcome.output, outcome.limitEvents),
                                outputTruncated: outcome.outputTruncated, durationSeconds: elapsed, problem: problem)
        logger.info("verified", metadata: ["profile": "\(profile.name)", "summary": "\(result.summary)"])
        return result
    }

    /// Adds the limits that stopped the run to a problem, so the Analyst knows forge cut it short.
    static func note(_ events: [SandboxLimitEvent], in problem: inout String?) {
        let stops = events.filter { $0.stoppedTheRun && !(isTimeout($0) && problem?.contains("timed out") == true) }
        guard !stops.isEmpty else { return }
        let text = stops.map(\.description).joined(separator: "; ")
        problem = problem.map { "\($0) — \(text)" } ?? text
    }

    private static func isTimeout(_ event: SandboxLimitEvent) -> Bool {
        if case .timedOut = event { return true }
        return false
    }

    /// The output with one `[forge: …]` line per limit event (the output cap has its own marker).
    static func annotated(_ output: String, _ events: [SandboxLimitEvent]) -> String {
        let lines = events.filter(\.stoppedTheRun).map { "[forge: \($0.description)]" }
        guard !lines.isEmpty else { return output }
        let separator = output.isEmpty || output.hasSuffix("\n") ? "" : "\n"
        return output + separator + lines.joined(separator: "\n") + "\n"
    }

    /// A command run the way the profile's own commands run: `{interpreter}` substituted, the
    /// toolchain mounted, the profile's environment and limits (for `forge sandbox run`).
    ///
    /// - Throws: `ForgeError(.sandboxUnavailable)` when the toolchain probe fails, `.config` when
    ///   `{interpreter}` has no value.
    public func sandboxCommand(_ arguments: [String], workspace: URL) async throws -> SandboxCommand {
        let toolchain = try await toolchain()
        return command(try substitute(arguments, toolchain), toolchain, workspace)
    }

    /// The sandbox command for one of the profile's commands, with the probed toolchain mounted and
    /// the interpreter's directory first on `PATH` (host toolchains only).
    func command(_ arguments: [String], _ toolchain: ToolchainProbe, _ workspace: URL,
                 limits: SandboxLimits? = nil) -> SandboxCommand {
        var environment = profile.environment
        if runner.usesHostToolchain, environment["PATH"] == nil, let interpreter = toolchain.interpreter {
            let directory = (interpreter as NSString).deletingLastPathComponent
            environment["PATH"] = "\(directory):\(BubblewrapArguments.basePath)"
        }
        return SandboxCommand(arguments: arguments, workspace: workspace, environment: environment,
                              readOnlyPaths: runner.usesHostToolchain ? profile.readOnlyPaths + toolchain.mounts : [],
                              limits: limits ?? profile.limits, image: profile.image)
    }

    func substitute(_ arguments: [String], _ toolchain: ToolchainProbe) throws -> [String] {
        let placeholder = SandboxProfile.interpreterPlaceholder
        guard arguments.contains(where: { $0.contains(placeholder) }) else { return arguments }
        guard let interpreter = toolchain.interpreter else {
            if !runner.usesHostToolchain {
                throw ForgeError(.config, "the `\(profile.name)` profile uses \(placeholder) but names no `image_interpreter` for containers",
                                 hint: "add image_interpreter = \"<program in the image>\" to the profile")
            }
            throw ForgeError(.config, "the `\(profile.name)` profile uses \(placeholder) but its probe printed no interpreter= line",
                             hint: "make the profile's probe print interpreter=<path>")
        }
        return arguments.map { $0.replacingOccurrences(of: placeholder, with: interpreter) }
    }

    /// Why a run whose report shows no failure still is not a pass, if it is not.
    static func unexplained(_ termination: TestReport.Termination, cases: [TestReport.Case]) -> String? {
        if cases.contains(where: { $0.outcome == .failed || $0.outcome == .error }) { return nil }
        switch termination {
        case .exited(0): return nil
        case .exited(let status) where !cases.contains(where: { $0.outcome == .passed }):
            return "no tests ran (the test command exited with status \(status))"
        case .exited(let status): return "the test command exited with status \(status) although no test failed"
        case .signalled(let signal): return "the test command was killed by signal \(signal)"
        case .timedOut(let seconds): return "the tests timed out after \(Int(seconds))s"
        }
    }

    static func describe(_ termination: TestReport.Termination) -> String {
        switch termination {
        case .exited(let status): "exit status \(status)"
        case .signalled(let signal): "killed by signal \(signal)"
        case .timedOut(let seconds): "timed out after \(Int(seconds))s"
        }
    }

    /// The last non-blank output line that is not the truncation marker: usually the error.
    static func lastLine(of output: String) -> String? {
        output.split(whereSeparator: \.isNewline).reversed()
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .first { !$0.isEmpty && !$0.hasPrefix("[forge: output truncated") }
    }
}

private extension Optional where Wrapped == String {
    var orEmpty: String { self ?? "" }
}

/// The probe's result, computed once and shared by concurrent verifications.
private actor ToolchainCache {
    private var probed: ToolchainProbe?
    private var inFlight: Task<ToolchainProbe, any Error>?

    func value(_ probe: @escaping @Sendable () async throws -> ToolchainProbe) async throws -> ToolchainProbe {
        if let probed { return probed }
        let task = inFlight ?? Task { try await probe() }
        inFlight = task
        do {
            let result = try await task.value
            probed = result
            inFlight = nil
            return result
        } catch {
            inFlight = nil
            throw error
        }
    }
}
