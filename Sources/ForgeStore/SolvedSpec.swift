import Foundation

/// A spec that ended green, with what it took: the PRD, the design and the final files. Remembered
/// so that a later, similar spec starts from a worked example instead of from nothing.
public struct SolvedSpec: Sendable, Equatable {
    public var runID: String
    public var spec: String
    public var language: String
    /// `.forge/prd.json` and `.forge/design.json` as committed.
    public var prd: String
    public var design: String
    /// The final source and test files, path → contents.
    public var files: [String: String]
    /// How close it is to the spec it was found for (0…1); 1 when stored.
    public var similarity: Double

    public init(runID: String, spec: String, language: String, prd: String, design: String, files: [String: String],
                similarity: Double = 1) {
        self.runID = runID
        self.spec = spec
        self.language = language
        self.prd = prd
        self.design = design
        self.files = files
        self.similarity = similarity
    }

    /// Word overlap (Jaccard) of two specs' significant words: a plain, explainable measure of "about
    /// the same thing", used to decide whether a past solution is worth showing.
    public static func similarity(_ a: String, _ b: String) -> Double {
        let x = words(in: a)
        let y = words(in: b)
        guard !x.isEmpty || !y.isEmpty else { return 0 }
        return Double(x.intersection(y).count) / Double(x.union(y).count)
    }

    /// Lower-cased words of three letters or more, without the filler every spec shares.
    static func words(in text: String) -> Set<String> {
        let filler: Set<String> = ["the", "and", "with", "that", "for", "from", "into", "module", "python", "function",
                                   "functions", "returns", "return", "which", "when", "each", "its", "are", "not", "all"]
        let pieces = text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "_") }
        return Set(pieces.map(String.init).filter { $0.count >= 3 && !filler.contains($0) })
    }
}
