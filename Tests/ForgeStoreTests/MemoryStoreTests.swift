import ForgeCore
import Foundation
import Testing
@testable import ForgeStore

@Suite struct MemoryStoreTests {
    func solution(_ id: String, _ spec: String, language: String = "python") -> SolvedSpec {
        SolvedSpec(runID: id, spec: spec, language: language, prd: #"{"title": "\#(id)"}"#, design: "{}", files: ["m.py": "x = 1\n"])
    }

    @Test func theClosestSimilarEnoughSolutionComesBack() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try ForgeStore(path: dir.file("forge.sqlite"))
        try store.remember(solution("a", "A Python module textstats.py with word_count(text) and top_words(text, n)"))
        try store.remember(solution("b", "A Python module temperature.py with celsius_to_fahrenheit(c) and fahrenheit_to_celsius(f)"))
        try store.remember(solution("c", "A Swift package with word_count(text)", language: "swift"))

        let found = try #require(try store.closestSolution(to: "A Python module textstats.py with word_count(text) and top_words(text, k)",
                                                           language: "python"))
        #expect(found.runID == "a")
        #expect(found.similarity > 0.5 && found.similarity <= 1)
        #expect(found.files == ["m.py": "x = 1\n"])
        #expect(found.prd == #"{"title": "a"}"#)
        // Sharing one word is not similar; another language is never offered.
        #expect(try store.closestSolution(to: "A module that parses word lists from CSV files", language: "python") == nil)
        #expect(try store.closestSolution(to: "A Swift package with word_count(text)", language: "python")?.runID != "c")
        // Query syntax in a spec is data, not FTS5 operators.
        #expect(try store.closestSolution(to: #"NEAR("x" AND) * OR -"#, language: "python") == nil)
    }

    @Test func rememberingARunAgainReplacesIt() throws {
        let store = try ForgeStore.inMemory()
        try store.remember(solution("a", "roman numerals to_roman from_roman converter"))
        var newer = solution("a", "roman numerals to_roman from_roman converter")
        newer.files = ["roman.py": "pass\n"]
        try store.remember(newer)
        #expect(try store.closestSolution(to: "roman numerals to_roman from_roman converter", language: "python")?.files == ["roman.py": "pass\n"])
    }

    @Test func similarityIsWordOverlap() {
        #expect(SolvedSpec.similarity("add two numbers", "add two numbers") == 1)
        #expect(SolvedSpec.similarity("add two numbers", "subtract three values") == 0)
        #expect(SolvedSpec.similarity("", "") == 0)
    }
}
