import ForgeCore

/// The analyst's reading of a failed test run: what fails, why, and which files to change.
public struct Diagnosis: Codable, Sendable, Equatable {
    public var failingTests: [String]
    public var rootCause: String
    public var filesToChange: [String]
    /// What the developer should change, in words.
    public var fix: String

    enum CodingKeys: String, CodingKey {
        case failingTests = "failing_tests"
        case rootCause = "root_cause"
        case filesToChange = "files_to_change"
        case fix
    }

    public init(failingTests: [String], rootCause: String, filesToChange: [String], fix: String) {
        self.failingTests = failingTests
        self.rootCause = rootCause
        self.filesToChange = filesToChange
        self.fix = fix
    }

    public static let schema = OutputSchema(name: "diagnosis", json: [
        "type": "object",
        "properties": [
            "failing_tests": ["type": "array", "items": ["type": "string"]],
            "root_cause": ["type": "string"],
            "files_to_change": ["type": "array", "items": ["type": "string"]],
            "fix": ["type": "string"],
        ],
        "required": ["failing_tests", "root_cause", "files_to_change", "fix"],
    ])
}
