import ForgeCore
@testable import ForgePipeline
import Testing

@Suite struct OutputHandlingTests {
    @Test func jsonFromPlainFencedAndWrappedAnswers() throws {
        let plain = #"{"a": 1}"#
        let fenced = "Here you go:\n```json\n{\"a\": 1}\n```\nAnything else?"
        let wrapped = "Sure. {\"a\": 1} Hope this helps."
        for answer in [plain, fenced, wrapped] {
            #expect(try OutputExtractor.json(from: answer).get() == ["a": 1])
        }
    }

    @Test func rawNewlinesInsideStringsAreRepaired() throws {
        let answer = "{\"root_cause\": \"line one\nline two\tand a tab\", \"x\": [\"\"]}"
        let value = try OutputExtractor.json(from: answer).get()
        #expect(value["root_cause"] == "line one\nline two\tand a tab")
    }

    @Test func unusableAnswersSayWhy() {
        guard case .failure(let empty) = OutputExtractor.json(from: "  \n") else { Issue.record("expected failure"); return }
        #expect(empty.reason == "the answer was empty")
        guard case .failure(let prose) = OutputExtractor.json(from: "Title: a thing\nGoals: none") else { Issue.record("expected failure"); return }
        #expect(prose.reason.contains("not valid JSON") || prose.reason.contains("no JSON object"))
        guard case .failure(let array) = OutputExtractor.json(from: "[1, 2]") else { Issue.record("expected failure"); return }
        #expect(array.reason.contains("not an object"))
    }

    @Test func schemaViolationsNameThePath() throws {
        let value = try JSONValue(parsing: #"{"title": 3, "goals": ["x", 2], "user_stories": [], "out_of_scope": []}"#)
        let problems = PRD.schema.violations(of: value)
        #expect(problems.contains("$: missing key 'acceptance_criteria'"))
        #expect(problems.contains("$.title: expected string, found number"))
        #expect(problems.contains("$.goals[1]: expected string, found number"))
        let good = try JSONValue(parsing: #"{"title": "t", "goals": [], "user_stories": [], "acceptance_criteria": ["a"], "out_of_scope": []}"#)
        #expect(PRD.schema.violations(of: good).isEmpty)
        let emptyCriteria = try JSONValue(parsing: #"{"title": "t", "goals": [], "user_stories": [], "acceptance_criteria": [], "out_of_scope": []}"#)
        #expect(PRD.schema.violations(of: emptyCriteria) == ["$.acceptance_criteria: expected at least 1 item(s), found 0"])
    }

    @Test func codeBlockChoiceFollowsLanguageAndLength() {
        let answer = """
            Explanation first.
            ```bash
            pip install nothing
            ```
            ```python
            def f():
                return 1
            ```
            """
        #expect(OutputExtractor.code(from: answer, path: "m.py", language: "python") == "def f():\n    return 1\n")
        #expect(OutputExtractor.code(from: "no code here", path: "m.py", language: "python") == nil)
        // An answer cut off by the token limit still yields its code.
        #expect(OutputExtractor.code(from: "```python\nx = 1\n", path: "m.py", language: "python") == "x = 1\n")
    }

    @Test func commitMessageCarriesTheContractTrailers() {
        let report = TestReport(cases: [.init(name: "a", outcome: .passed), .init(name: "b", outcome: .failed)], termination: .exited(1))
        let message = CommitMessage(stage: .fix, summary: "handle\nempty input", body: "Root cause: x", runID: RunID(rawValue: "20261121-000000-abcd"),
                                    iteration: 2, promptVariants: ["analyst/default@12345678", "fix/default@87654321"],
                                    model: "local/qwen", tests: report, usage: Usage(promptTokens: 10, completionTokens: 5))
        #expect(message.text == """
            forge(fix): handle empty input

            Root cause: x

            Forge-Run: 20261121-000000-abcd
            Forge-Stage: fix
            Forge-Iteration: 2
            Forge-Prompt-Variant: analyst/default@12345678
            Forge-Prompt-Variant: fix/default@87654321
            Forge-Model: local/qwen
            Forge-Tests: 1 passed, 1 failed
            Forge-Tokens: 10+5

            """)
        let noTests = CommitMessage(stage: .pm, summary: "s", runID: RunID(rawValue: "r"), iteration: 0, promptVariants: [],
                                    model: "m", tests: nil, usage: .zero)
        #expect(noTests.text.contains("Forge-Tests: not run"))
    }

    @Test func analystFileChoiceStaysInsideTheSources() {
        #expect(AnalystAgent.normaliseFiles(["textstats.py", "test_textstats.py"], sourcePaths: ["textstats.py"]) == ["textstats.py"])
        #expect(AnalystAgent.normaliseFiles(["./pkg/util.py"], sourcePaths: ["pkg/util.py", "pkg/main.py"]) == ["pkg/util.py"])
        #expect(AnalystAgent.normaliseFiles(["nonsense.py"], sourcePaths: ["a.py", "b.py"]) == ["a.py", "b.py"])
    }
}

@Suite struct FailureEvidenceTests {
    @Test func pytestEqualityBecomesASentence() {
        let failure = TestReport.Case(name: "t::x", outcome: .failed, message: "AssertionError: assert ['hello'] == ['Hello']", details: """
            def test_top_words_one_word():
            >       assert top_words('Hello world', 1) == ['Hello']
            E       AssertionError: assert ['hello'] == ['Hello']
            E         At index 0 diff: 'hello' != 'Hello'
            """)
        #expect(FailureEvidence.sentence(for: failure) == "top_words('Hello world', 1) returned ['hello'], but the test expects ['Hello']")
    }

    @Test func equalitySignsInsideLiteralsAndCallsAreNotTheSplit() {
        let failure = TestReport.Case(name: "t::y", outcome: .failed, details: """
            >       assert parse("a==b", sep={"=": 1}) == ("a", "b")
            E       AssertionError: assert ('a==b',) == ('a', 'b')
            """)
        #expect(FailureEvidence.sentence(for: failure) == #"parse("a==b", sep={"=": 1}) returned ('a==b',), but the test expects ("a", "b")"#)
    }

    @Test func otherFailuresHaveNoSentence() {
        let raised = TestReport.Case(name: "t::z", outcome: .error, details: "E   ZeroDivisionError: division by zero")
        #expect(FailureEvidence.sentence(for: raised) == nil)
        let truthy = TestReport.Case(name: "t::w", outcome: .failed, details: ">   assert is_even(3)\nE   assert False")
        #expect(FailureEvidence.sentence(for: truthy) == nil)
        #expect(FailureEvidence.sentence(for: TestReport.Case(name: "n", outcome: .failed)) == nil)
    }
}
