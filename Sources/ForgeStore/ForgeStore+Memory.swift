import ForgeCore
import Foundation
internal import GRDB

extension ForgeStore {
    /// Indexes a green run's spec, PRD, design and files (SQLite FTS5).
    ///
    /// - Throws: `ForgeError(.store)` when the write fails.
    public func remember(_ solution: SolvedSpec) throws {
        let files = String(decoding: (try? JSONEncoder().encode(solution.files)) ?? Data("{}".utf8), as: UTF8.self)
        try write("remember the solution of run \(solution.runID)") { db in
            try db.execute(sql: "DELETE FROM memory WHERE run_id = ?", arguments: [solution.runID])
            try db.execute(sql: """
                INSERT INTO memory (spec, prd, design, files, run_id, language, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [solution.spec, solution.prd, solution.design, files, solution.runID, solution.language,
                                 Date().timeIntervalSinceReferenceDate])
        }
    }

    /// The remembered solution closest to `spec` in the same language, when at least
    /// `minimumSimilarity` of their significant words overlap (``SolvedSpec/similarity(_:_:)``).
    ///
    /// FTS5 ranks candidates by BM25 over spec, PRD and design; the overlap then decides, so that a
    /// long spec sharing one rare word does not count as similar.
    public func closestSolution(to spec: String, language: String, minimumSimilarity: Double = 0.5) throws -> SolvedSpec? {
        let words = SolvedSpec.words(in: spec).sorted()
        guard !words.isEmpty else { return nil }
        // Each word quoted: FTS5 syntax characters in a spec must not become query operators.
        let query = words.map { "\"\($0.replacingOccurrences(of: "\"", with: ""))\"" }.joined(separator: " OR ")
        let rows = try read("search remembered solutions") { db in
            try Row.fetchAll(db, sql: """
                SELECT spec, prd, design, files, run_id, language FROM memory
                WHERE memory MATCH ? AND language = ? ORDER BY bm25(memory) LIMIT 10
                """, arguments: [query, language])
        }
        let candidates = rows.map { row -> SolvedSpec in
            let files = (try? JSONDecoder().decode([String: String].self, from: Data((row["files"] as String).utf8))) ?? [:]
            let stored: String = row["spec"]
            return SolvedSpec(runID: row["run_id"], spec: stored, language: row["language"], prd: row["prd"],
                              design: row["design"], files: files, similarity: SolvedSpec.similarity(spec, stored))
        }
        return candidates.filter { $0.similarity >= minimumSimilarity }.max { $0.similarity < $1.similarity }
    }
}
