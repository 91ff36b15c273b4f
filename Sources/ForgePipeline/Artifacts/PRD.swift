import ForgeCore

/// The product manager's requirements, committed as `.forge/prd.json`. Fixed keys (as MetaGPT's PRD)
/// so reviewers and later stages read the same structure.
public struct PRD: Codable, Sendable, Equatable {
    public var title: String
    public var goals: [String]
    public var userStories: [String]
    public var acceptanceCriteria: [String]
    public var outOfScope: [String]

    enum CodingKeys: String, CodingKey {
        case title, goals
        case userStories = "user_stories"
        case acceptanceCriteria = "acceptance_criteria"
        case outOfScope = "out_of_scope"
    }

    public init(title: String, goals: [String], userStories: [String], acceptanceCriteria: [String], outOfScope: [String]) {
        self.title = title
        self.goals = goals
        self.userStories = userStories
        self.acceptanceCriteria = acceptanceCriteria
        self.outOfScope = outOfScope
    }

    public static let schema = OutputSchema(name: "prd", json: [
        "type": "object",
        "properties": [
            "title": ["type": "string"],
            "goals": ["type": "array", "items": ["type": "string"]],
            "user_stories": ["type": "array", "items": ["type": "string"]],
            "acceptance_criteria": ["type": "array", "items": ["type": "string"], "minItems": 1],
            "out_of_scope": ["type": "array", "items": ["type": "string"]],
        ],
        "required": ["title", "goals", "user_stories", "acceptance_criteria", "out_of_scope"],
    ])
}
