import ForgeCore

/// The architect's design, committed as `.forge/design.json`: which files to write and what each
/// exposes. Test files are not part of the design; the test writer owns them.
public struct Design: Codable, Sendable, Equatable {
    public struct File: Codable, Sendable, Equatable {
        public var path: String
        public var purpose: String
        public init(path: String, purpose: String) {
            self.path = path
            self.purpose = purpose
        }
    }

    public var language: String
    public var files: [File]
    /// Public signatures, e.g. `word_count(text: str) -> int`.
    public var interfaces: [String]
    public var notes: String

    public init(language: String, files: [File], interfaces: [String], notes: String) {
        self.language = language
        self.files = files
        self.interfaces = interfaces
        self.notes = notes
    }

    public static let schema = OutputSchema(name: "design", json: [
        "type": "object",
        "properties": [
            "language": ["type": "string"],
            "files": [
                "type": "array", "minItems": 1,
                "items": [
                    "type": "object",
                    "properties": ["path": ["type": "string"], "purpose": ["type": "string"]],
                    "required": ["path", "purpose"],
                ],
            ],
            "interfaces": ["type": "array", "items": ["type": "string"]],
            "notes": ["type": "string"],
        ],
        "required": ["language", "files", "interfaces", "notes"],
    ])
}
