import ForgeCore

/// The analyst's reading of a failed test run: what fails, why, and which files to change.
public struct Diagnosis: Codable, Sendable, Equatable {
    public var failingTests: [String]
    public var rootCause: String
    public var filesToChange: [String]
    /// What the developer should change, in words.
    public var fix: String
    /// Locked test files the analyst asks to reopen, each with its reason. Only the analyst may ask;
    /// the reason goes into the fix commit, and the rewritten test must still agree with the PRD.
    public var unlockTests: [UnlockRequest]

    public struct UnlockRequest: Codable, Sendable, Equatable {
        public var path: String
        public var reason: String
        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    enum CodingKeys: String, CodingKey {
        case failingTests = "failing_tests"
        case rootCause = "root_cause"
        case filesToChange = "files_to_change"
        case fix
        case unlockTests = "unlock_tests"
    }

    public init(failingTests: [String], rootCause: String, filesToChange: [String], fix: String, unlockTests: [UnlockRequest] = []) {
        self.failingTests = failingTests
        self.rootCause = rootCause
        self.filesToChange = filesToChange
        self.fix = fix
        self.unlockTests = unlockTests
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        failingTests = try container.decode([String].self, forKey: .failingTests)
        rootCause = try container.decode(String.self, forKey: .rootCause)
        filesToChange = try container.decode([String].self, forKey: .filesToChange)
        fix = try container.decode(String.self, forKey: .fix)
        unlockTests = try container.decodeIfPresent([UnlockRequest].self, forKey: .unlockTests) ?? []
    }

    public static let schema = OutputSchema(name: "diagnosis", json: [
        "type": "object",
        "properties": [
            "failing_tests": ["type": "array", "items": ["type": "string"]],
            "root_cause": ["type": "string"],
            "files_to_change": ["type": "array", "items": ["type": "string"]],
            "fix": ["type": "string"],
            "unlock_tests": [
                "type": "array",
                "items": [
                    "type": "object",
                    "properties": ["path": ["type": "string"], "reason": ["type": "string"]],
                    "required": ["path", "reason"],
                ],
            ],
        ],
        "required": ["failing_tests", "root_cause", "files_to_change", "fix"],
    ])
}
