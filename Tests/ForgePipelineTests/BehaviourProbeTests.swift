import ForgeCore
@testable import ForgePipeline
import ForgeSandbox
import Foundation
import Testing

/// The behaviour probe with the real python profile and real bubblewrap, and the vote it feeds.
@Suite struct BehaviourProbeTests {
    static let rightDivisor = """
    def largest_divisor(n):
        for i in range(n - 1, 0, -1):
            if n % i == 0:
                return i

    """
    /// Right on every number with a divisor above 1; None for primes.
    static let wrongOnPrimes = rightDivisor.replacingOccurrences(of: "range(n - 1, 0, -1)", with: "range(n - 1, 1, -1)")
    static let tests = """
    from divisors import largest_divisor


    def test_largest_divisor():
        assert largest_divisor(15) == 5
        assert largest_divisor(100) == 50

    """

    func probe() throws -> BehaviourProbe {
        let profile = try SandboxProfile.load(named: "python", in: packageRoot.appendingPathComponent("Sandboxes"))
        return BehaviourProbe(verifier: TestVerifier(profile: profile, runner: BubblewrapRunner()))
    }

    @Test func versionsThatPassTheSameTestsDifferOnANeighbourOfTheirInputs() async throws {
        let probe = try probe()
        #expect(probe.isAvailable)
        let tests = try FileSet(["test_divisors.py": Self.tests])
        let behaviour = try #require(try await probe.run(versions: [Self.wrongOnPrimes, Self.rightDivisor, Self.rightDivisor + "# same\n"],
                                                         path: "divisors.py", module: "divisors", tests: tests))
        // The stated inputs first, then neighbours made up from them (14, 16, 31, 99, 101, 201).
        #expect(Array(behaviour.inputs.prefix(2)) == ["largest_divisor(15)", "largest_divisor(100)"])
        #expect(behaviour.generated == [false, false] + Array(repeating: true, count: behaviour.inputs.count - 2))
        #expect(behaviour.inputs.contains("largest_divisor(101)"))
        #expect(behaviour.firstDifference(0, 1) == "largest_divisor(31): None against 1")
        #expect(behaviour.differences(1, 2).isEmpty)
        #expect(behaviour.agreement(0) == 0)
        #expect(behaviour.agreement(1) == 1)
    }

    @Test func aVersionThatDoesNotImportOrLoopsForeverStillGetsAnAnswer() async throws {
        let tests = try FileSet(["test_divisors.py": Self.tests])
        // Asleep, not spinning: a busy loop would take a core from the tests running beside it.
        let hangs = "import time\n\ndef largest_divisor(n):\n    time.sleep(600)\n"
        let broken = "def largest_divisor(n:\n"
        let behaviour = try #require(try await probe().run(versions: [Self.rightDivisor, hangs, broken],
                                                           path: "divisors.py", module: "divisors", tests: tests))
        #expect(behaviour.outputs[1].allSatisfy { $0 == "crashes Timeout" } || behaviour.outputs[1].allSatisfy { $0 == "crashed" },
                "\(behaviour.outputs[1])")
        #expect(behaviour.outputs[2].allSatisfy { $0 == "import fails: SyntaxError" }, "\(behaviour.outputs[2])")
        #expect(behaviour.agreement(0) == 0)
    }

    @Test func aCrashIsToldApartFromARaiseAndZeroAndOneAreTried() async throws {
        // A bench run's answers all took max() of an empty list on odd-length input: a crash the
        // tests (even lengths only) never showed. Raising on purpose is a different answer.
        let crashes = """
        def strange_sort(lst):
            out = []
            while lst:
                out.append(min(lst))
                lst.remove(min(lst))
                out.append(max(lst))
                lst.remove(max(lst))
            return out

        """
        let refuses = """
        def strange_sort(lst):
            if len(lst) % 2:
                raise ValueError("odd length")
            out, rest = [], sorted(lst)
            while rest:
                out += [rest.pop(0), rest.pop()]
            return out

        """
        let answers = """
        def strange_sort(lst):
            out, rest = [], sorted(lst)
            while rest:
                out.append(rest.pop(0))
                if rest:
                    out.append(rest.pop())
            return out

        """
        let tests = try FileSet(["test_sorts.py": "from sorts import strange_sort\n\ndef test_it():\n    assert strange_sort([1, 2, 3, 4]) == [1, 4, 2, 3]\n",
                                 "test_powers.py": "from sorts import power\n\ndef test_it():\n    assert power(2, 8)\n"])
        let power = "\ndef power(n, x):\n    return n ** 3 == x\n"
        let behaviour = try #require(try await probe().run(versions: [crashes + power, refuses + power, answers + power],
                                                           path: "sorts.py", module: "sorts", tests: tests))
        let odd = try #require(behaviour.inputs.firstIndex(of: "strange_sort([1, 2, 3])"))
        #expect(behaviour.generated[odd])
        #expect(behaviour.outputs[0][odd] == "crashes ValueError")
        #expect(behaviour.outputs[1][odd] == "raises ValueError")
        #expect(behaviour.outputs[2][odd] == "list[1, 3, 2]")
        #expect(behaviour.crashes(0) >= 1 && behaviour.crashes(1) == 0 && behaviour.crashes(2) == 0)
        #expect(behaviour.firstCrash(0)?.hasSuffix("crashes ValueError") == true)
        // On a made-up input a crash, like a raise, is not a disagreement: the vote cannot see it.
        #expect(behaviour.differences(0, 2).isEmpty)
        // Zero and one are tried beside n-1, n+1 and 2n+1.
        #expect(behaviour.inputs.contains("power(1, 8)") && behaviour.inputs.contains("power(2, 0)"))
    }

    @Test func withoutCallsWhoseArgumentsAreKnownThereIsNothingToCompare() async throws {
        // A fixture's argument and a computed value are unknown before the test runs.
        let tests = try FileSet(["test_divisors.py": """
            from divisors import largest_divisor

            def test_it(number):
                n = sum([7, 8])
                assert largest_divisor(number) == 5
                assert largest_divisor(n) == 5

            """])
        let behaviour = try await probe().run(versions: [Self.rightDivisor, Self.wrongOnPrimes], path: "divisors.py",
                                              module: "divisors", tests: tests)
        #expect(behaviour == nil)
    }

    /// Model-written tests table their cases as often as they spell each call out (HumanEval_78's
    /// tests were one parametrized call, and the probe found nothing to compare).
    @Test func callsWhoseArgumentsComeFromATableOfCasesAreProbed() async throws {
        let tests = try FileSet(["test_divisors.py": """
            import pytest
            from divisors import largest_divisor

            CASES = [(21, 7), (49, 7)]

            @pytest.mark.parametrize("n, expected", [(15, 5), pytest.param(100, 50, id="hundred")])
            def test_table(n, expected):
                assert largest_divisor(n) == expected

            @pytest.mark.parametrize("n", [9])
            @pytest.mark.parametrize("unused", ["a", "b"])
            def test_stacked(n, unused):
                assert largest_divisor(n) == 3

            def test_loops():
                for n, expected in [(8, 4), (12, 6)]:
                    assert largest_divisor(n) == expected
                for n, expected in CASES:
                    assert largest_divisor(n) == expected
                m = 35
                assert largest_divisor(m) == 7

            """])
        let behaviour = try #require(try await probe().run(versions: [Self.rightDivisor, Self.wrongOnPrimes], path: "divisors.py",
                                                           module: "divisors", tests: tests))
        let stated = zip(behaviour.inputs, behaviour.generated).filter { !$0.1 }.map(\.0)
        #expect(stated == ["largest_divisor(15)", "largest_divisor(100)", "largest_divisor(9)", "largest_divisor(8)",
                           "largest_divisor(12)", "largest_divisor(21)", "largest_divisor(49)", "largest_divisor(35)"])
        // The made-up neighbours of those reach a prime, where the two versions part.
        #expect(!behaviour.differences(0, 1).isEmpty)
    }

    @Test func onAMadeUpInputRaisingIsNotADisagreement() {
        // A neighbour may break the spec's preconditions: raising there is as fair as returning.
        let behaviour = Behaviour(inputs: ["f(1)", "f(0)", "f(-1)"], generated: [false, true, true],
                                  outputs: [["1", "raises ValueError", "2"], ["1", "0", "3"], ["2", "0", "3"]])
        #expect(behaviour.differences(0, 1) == [2])
        #expect(behaviour.differences(1, 2) == [0])
        let stated = Behaviour(inputs: ["f(0)"], generated: [false], outputs: [["raises ValueError"], ["0"]])
        #expect(stated.differences(0, 1) == [0])
    }

    @Test func anAnswerThatOnlyRepeatsTheRequestsCodeIsAnEcho() {
        // HumanEval_2's spec, and what the local model answered from the second opinion's prompt.
        let request = """
        Write a Python module solution.py that defines the function `truncate_number` described below.

        ```python
        def truncate_number(number: float) -> float:
            \"\"\" Return the decimal part of the number.
            >>> truncate_number(3.5)
            0.5
            \"\"\"
        ```
        """
        let echo = """
        # Given a positive floating point number, it can be decomposed into an integer part
        def truncate_number(number: float) -> float:
            \"\"\" Return the decimal part of the number.
            >>> truncate_number(3.5)
            0.5
            \"\"\"
        """
        let problem = RequestEcho.problem(code: echo, request: request, path: "solution.py")
        #expect(problem?.contains("the functions in solution.py have no code after their docstrings") == true)
        #expect(RequestEcho.problem(code: echo + "\n    pass\n", request: request, path: "solution.py") != nil)
        #expect(RequestEcho.problem(code: echo + "\n    return number - int(number)\n", request: request, path: "solution.py") == nil)
        // An answer with no code at all is another problem (no code block), not an echo.
        #expect(RequestEcho.problem(code: "# nothing\n", request: request, path: "solution.py") == nil)
    }

    @Test func theBallotRanksSpecExamplesThenAgreementFromTwoUpThenTestsThenCrashesThenSupport() {
        func version(_ draw: Int, passed: Int, failed: Int, examples: Int = 0) -> Pipeline.Version {
            var cases = (0 ..< passed).map { TestReport.Case(name: "test_m::t\($0)", outcome: .passed) }
            cases += (0 ..< failed).map { TestReport.Case(name: "test_m::f\($0)", outcome: .failed) }
            cases += (0 ..< examples).map { TestReport.Case(name: "test_spec_examples::e\($0)", outcome: .passed) }
            let report = TestReport(cases: cases, termination: .exited(failed == 0 ? 0 : 1))
            return Pipeline.Version(draw: draw, text: "v\(draw)", candidate: Candidate(files: FileSet(), report: report, iteration: 1),
                                    writes: FileSet())
        }
        let alike = ["1", "2"], other = ["1", "3"]
        // The first code passes every test alone; three draws agree with each other and fail one.
        let versions = [version(0, passed: 5, failed: 0), version(1, passed: 4, failed: 1), version(2, passed: 4, failed: 1),
                        version(3, passed: 4, failed: 1)]
        let three = Behaviour(inputs: ["f(1)", "f(2)"], generated: [false, false], outputs: [other, alike, alike, alike])
        #expect(Ballot(versions: versions, behaviour: three, strong: "test_spec_examples::").winner == 1)
        // One echo is not a vote: with only two alike the tests decide, and the first code stays.
        let two = Behaviour(inputs: ["f(1)", "f(2)"], generated: [false, false], outputs: [other, alike, alike, ["0", "0"]])
        #expect(Ballot(versions: versions, behaviour: two, strong: "test_spec_examples::").winner == 0)
        // The spec's own examples outrank any number of votes.
        let examples = [version(0, passed: 3, failed: 2, examples: 1)] + versions.dropFirst()
        #expect(Ballot(versions: examples, behaviour: three, strong: "test_spec_examples::").winner == 0)
        // Versions that return nothing (None, or raise) agree for nothing: they cast no votes, and
        // the one version that passes tests wins.
        let nothing = ["None", "raises TypeError"]
        let hollow = [version(0, passed: 0, failed: 4), version(1, passed: 0, failed: 4), version(2, passed: 3, failed: 1),
                      version(3, passed: 0, failed: 4)]
        let silent = Behaviour(inputs: ["f(1)", "f(2)"], generated: [false, false], outputs: [nothing, nothing, other, nothing])
        #expect(Ballot(versions: hollow, behaviour: silent, strong: "test_spec_examples::").votes(0) == 0)
        #expect(Ballot(versions: hollow, behaviour: silent, strong: "test_spec_examples::").winner == 2)
        // With votes and tests even, the version that answers where the others crash wins; the
        // tests still outrank a crash.
        let crash = Behaviour(inputs: ["f(1)", "f(2)"], generated: [false, true],
                              outputs: [["1", "crashes ValueError"], ["1", "crashes ValueError"], ["1", "2"], ["1", "crashes IndexError"]])
        let even = (0 ... 3).map { version($0, passed: 4, failed: 0) }
        #expect(Ballot(versions: even, behaviour: crash, strong: "test_spec_examples::").votes(2) == 3)
        #expect(Ballot(versions: even, behaviour: crash, strong: "test_spec_examples::").winner == 2)
        var uneven = even
        uneven[2] = version(2, passed: 3, failed: 1)
        #expect(Ballot(versions: uneven, behaviour: crash, strong: "test_spec_examples::").winner == 0)
        // Even on examples, votes, tests and crashes, two versions that differ are decided by the
        // other versions' answers where they differ; only a draw of that is left to the earlier one.
        let split = Behaviour(inputs: ["f(1)", "f(2)", "f(3)"], generated: [false, true, true],
                              outputs: [["1", "2", "3"], ["1", "2", "4"], ["1", "9", "4"], ["0", "5", "4"]])
        #expect(split.support(1, against: 0) == 2 && split.support(0, against: 1) == 0)
        #expect(split.support(0, against: 2) == 1 && split.support(2, against: 0) == 2)
        let supported = Ballot(versions: even, behaviour: split, strong: "test_spec_examples::")
        #expect(supported.winner == 1)
        #expect(supported.supportNote == "draw 1 over the first code, by the other versions' answers where they differ: 2 side with draw 1, 0 with the first code (e.g. f(3): 4 against 3)")
        // Versions that answer nothing are not asked.
        let hollowSplit = Behaviour(inputs: ["f(1)"], generated: [false], outputs: [["1"], ["2"], ["None"], ["None"]])
        #expect(Ballot(versions: even, behaviour: hollowSplit, strong: "test_spec_examples::").winner == 0)
        #expect(Ballot(versions: even, behaviour: hollowSplit, strong: "test_spec_examples::").supportNote == nil)
        // Something stronger deciding leaves no note.
        #expect(Ballot(versions: versions, behaviour: three, strong: "test_spec_examples::").supportNote == nil)
        // Without a probe's answer: the tests, then the earlier version.
        #expect(Ballot(versions: versions, behaviour: nil, strong: "test_spec_examples::").winner == 0)
        #expect(Ballot(versions: Array(versions.dropFirst()), behaviour: nil, strong: "test_spec_examples::").winner == 0)
    }
}
