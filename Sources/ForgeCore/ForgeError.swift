/// forge's one error type: a code that decides the exit status, a message that says what happened,
/// and a hint that says what to do next.
///
/// Messages never carry secrets (API keys) or whole prompts; they name files, stages, URLs and
/// commands so a user can act on them.
public struct ForgeError: Error, Sendable, CustomStringConvertible, Equatable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        /// The process exit status this error leads to (see ARCHITECTURE.md, exit codes).
        public let exitStatus: ExitStatus

        public init(_ name: String, exitStatus: ExitStatus) {
            self.name = name
            self.exitStatus = exitStatus
        }

        public var description: String { name }

        // Usage and configuration (exit 2).
        public static let usage = Code("usage", exitStatus: .usage)
        public static let config = Code("config", exitStatus: .usage)
        public static let notARepository = Code("not-a-repository", exitStatus: .usage)
        public static let invalidPath = Code("invalid-path", exitStatus: .usage)
        public static let notFound = Code("not-found", exitStatus: .usage)
        // Model provider (exit 3).
        public static let providerUnreachable = Code("provider-unreachable", exitStatus: .providerUnreachable)
        public static let providerFailed = Code("provider-failed", exitStatus: .providerUnreachable)
        public static let replayMismatch = Code("replay-mismatch", exitStatus: .providerUnreachable)
        // Sandbox (exit 4).
        public static let sandboxUnavailable = Code("sandbox-unavailable", exitStatus: .sandboxUnavailable)
        // Interrupted (exit 5).
        public static let interrupted = Code("interrupted", exitStatus: .interrupted)
        // A stage could not produce its artifact (bad model output after repair): the run failed.
        public static let stageFailed = Code("stage-failed", exitStatus: .testsFailing)
        // Internal plumbing that should not fail: git, database, filesystem.
        public static let git = Code("git", exitStatus: .usage)
        public static let store = Code("store", exitStatus: .usage)
        public static let io = Code("io", exitStatus: .usage)
    }

    public var code: Code
    public var message: String
    public var hint: String?

    public init(_ code: Code, _ message: String, hint: String? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
    }

    public var description: String {
        guard let hint, !hint.isEmpty else { return message }
        return "\(message)\n  hint: \(hint)"
    }
}

/// forge's exit statuses, the contract with CI jobs.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Tests pass.
    case success = 0
    /// The budget was spent (or a stage failed) with tests still failing.
    case testsFailing = 1
    /// A usage or configuration error: nothing was run.
    case usage = 2
    /// No model provider could be reached.
    case providerUnreachable = 3
    /// No sandbox backend works here.
    case sandboxUnavailable = 4
    /// Interrupted; the run can be resumed with `forge resume`.
    case interrupted = 5
}
