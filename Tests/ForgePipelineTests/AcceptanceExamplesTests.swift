@testable import ForgePipeline
import Testing

@Suite struct AcceptanceExamplesTests {
    @Test func criteriaInTheAskedShapeBecomeExamples() {
        let examples = AcceptanceExamples(criteria: [
            "celsius_to_fahrenheit(0) returns 32",
            "top_words('The cat the dog', 1) returns ['the'] because words are compared without case",
            "`clamp(5, 0, 10)` should return `5`.",
            "mean([1, 2]) returns 1.5",
            "word_count(text) should return an integer",      // not a literal: no example
            "The module handles empty input",                 // no call: no example
        ]).examples
        #expect(examples == [
            .init(call: "celsius_to_fahrenheit(0)", expected: "32"),
            .init(call: "top_words('The cat the dog', 1)", expected: "['the']"),
            .init(call: "clamp(5, 0, 10)", expected: "5"),
            .init(call: "mean([1, 2])", expected: "1.5"),
        ])
    }

    @Test func aTestCallingTheWrongFunctionIsNamed() {
        let examples = AcceptanceExamples(criteria: ["celsius_to_fahrenheit(0) returns 32", "fahrenheit_to_celsius(32) returns 0"])
        let tests = """
            from temperature import celsius_to_fahrenheit, fahrenheit_to_celsius

            def test_a():
                assert celsius_to_fahrenheit(0) == 32

            def test_b():
                assert celsius_to_fahrenheit(32) == 0
            """
        let problems = examples.contradictions(in: tests)
        #expect(problems == ["`assert celsius_to_fahrenheit(32) == 0` calls the wrong function: the acceptance criterion says \"fahrenheit_to_celsius(32) returns 0\""])
    }

    @Test func aTestWithAnotherExpectedValueIsNamed() {
        let examples = AcceptanceExamples(criteria: ["add(2, 3) returns 5"])
        #expect(examples.contradictions(in: "    assert add(2,3) == 6\n") == [
            "`assert add(2,3) == 6` contradicts the acceptance criterion \"add(2, 3) returns 5\"",
        ])
    }

    @Test func quoteStyleSpacingAndNumberFormsAgree() {
        let examples = AcceptanceExamples(criteria: ["slugify('Hello, World!') returns 'hello-world'", "half(3) returns 1.5", "f(1) returns 32"])
        let tests = """
            assert slugify("Hello, World!") == "hello-world"
            assert half( 3 ) == 1.50
            assert f(1) == 32.0  # same number
            assert other(1) == 2
            assert slugify("extra case") == "extra-case"
            """
        #expect(examples.contradictions(in: tests).isEmpty)
    }
}
