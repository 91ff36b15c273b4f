import Foundation
import ForgeCore

/// A stage's commit message: `forge(<stage>): <summary>`, an optional body, and the trailers of the
/// commit contract (ARCHITECTURE.md) that reviewers and CI jobs read.
public struct CommitMessage: Sendable, Equatable {
    public var stage: Stage
    public var summary: String
    public var body: String?
    public var runID: RunID
    public var iteration: Int
    /// `role/variant@hash8` of every template that shaped the commit (the fix commit has two: analyst and fix).
    public var promptVariants: [String]
    /// `provider/model`.
    public var model: String
    /// nil for stages that run no tests: the trailer then says `not run` rather than a misleading `0 passed`.
    public var tests: TestReport?
    public var usage: Usage

    public init(stage: Stage, summary: String, body: String? = nil, runID: RunID, iteration: Int,
                promptVariants: [String], model: String, tests: TestReport?, usage: Usage) {
        self.stage = stage
        self.summary = summary
        self.body = body
        self.runID = runID
        self.iteration = iteration
        self.promptVariants = promptVariants
        self.model = model
        self.tests = tests
        self.usage = usage
    }

    public var trailers: [(String, String)] {
        var result: [(String, String)] = [
            ("Forge-Run", runID.rawValue),
            ("Forge-Stage", stage.rawValue),
            ("Forge-Iteration", String(iteration)),
        ]
        // A commit no template shaped (restoring the best version) says so rather than omitting the key.
        result += (promptVariants.isEmpty ? ["none"] : promptVariants).map { ("Forge-Prompt-Variant", $0) }
        result += [
            ("Forge-Model", model),
            ("Forge-Tests", tests?.trailerValue ?? "not run"),
            ("Forge-Tokens", usage.trailerValue),
        ]
        return result.map { ($0.0, Self.oneLine($0.1)) }
    }

    public var text: String {
        var parts = ["forge(\(stage.rawValue)): \(Self.oneLine(summary, limit: 72))"]
        if let body = body?.trimmingCharacters(in: .whitespacesAndNewlines), !body.isEmpty {
            // A body line shaped like "Key: value" right before the trailers would be read as one.
            parts.append(body)
        }
        parts.append(trailers.map { "\($0.0): \($0.1)" }.joined(separator: "\n"))
        return parts.joined(separator: "\n\n") + "\n"
    }

    static func oneLine(_ text: String, limit: Int = 200) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        return flat.count <= limit ? flat : String(flat.prefix(limit - 1)) + "…"
    }
}
