#!/usr/bin/env python3
"""Writes the hand-authored fix-loop cassettes: the model's answers for each scenario.

Run it to (re)create them, then bind their request hashes with a rebind run (see README.md):
    python3 Fixtures/cassettes/author.py
    FORGE_CASSETTE_REBIND=1 swift test --filter "LoopReplayTests"
It only writes the files listed in SCENARIOS; the other cassettes are edited by hand or recorded.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))

PRD = {"title": "Text statistics module", "goals": ["Count words in a text", "Find the most frequent words"],
       "user_stories": ["As a writer, I want word_count(text) so that I know how long my text is.",
                        "As an editor, I want top_words(text, n) so that I see which words I overuse."],
       "acceptance_criteria": ["word_count('the quick brown fox') returns 4", "word_count('') returns 0",
                               "top_words('b a b c b a', 2) returns ['b', 'a']",
                               "top_words('The cat the dog', 1) returns ['the'] because words are compared without case"],
       "out_of_scope": ["Reading files", "Stemming or stop words"]}
DESIGN = {"language": "python", "files": [{"path": "textstats.py", "purpose": "word_count and top_words over plain text"}],
          "interfaces": ["word_count(text: str) -> int", "top_words(text: str, n: int) -> list[str]"],
          "notes": "Split on whitespace to count words. For top_words, lower-case the text, find words with a regex and use collections.Counter.most_common(n)."}

BUGGY = '''import re
from collections import Counter


def word_count(text):
    """Return the number of words in text."""
    return len(text.split())


def top_words(text, n):
    """Return the n most frequent words, most frequent first."""
    words = re.findall(r"[a-z']+", text)
    counts = Counter(words)
    return [word for word, _ in counts.most_common(n)]
'''
FIXED = BUGGY.replace('re.findall(r"[a-z\']+", text)', 're.findall(r"[a-z\']+", text.lower())')
# An answer that never returns on an empty text (a loop a 1.5B model writes now and then).
LOOPS_ON_EMPTY = FIXED.replace('    """Return the number of words in text."""',
                               '    """Return the number of words in text."""\n    while not text:\n        pass')
# A "fix" that breaks word_count, which passed: a regression the loop must revert.
BROKEN = BUGGY.replace("return len(text.split())", "return len(text)")
TESTS = '''from textstats import word_count, top_words


def test_word_count_counts_words():
    assert word_count("the quick brown fox") == 4


def test_word_count_empty_text():
    assert word_count("") == 0


def test_top_words_most_frequent_first():
    assert top_words("b a b c b a", 2) == ["b", "a"]


def test_top_words_ignores_case():
    assert top_words("The cat the dog", 1) == ["the"]
'''
VACUOUS_TESTS = TESTS + '''

def test_module_loads():
    assert True
'''
# The same behaviour as FIXED in other words: what an answer drawn from the spec alone looks like.
FIXED_REWORDED = FIXED.replace('"""Return the number of words in text."""', '"""Count the words in text."""')
FIXED_SORTED = FIXED.replace("return [word for word, _ in counts.most_common(n)]",
                             "ranked = counts.most_common(n)\n    return [word for word, _ in ranked]")
# Counts "well-known" as two words, which INVENTED_TESTS asks for and no acceptance criterion states.
HYPHEN_SPLIT = FIXED.replace("return len(text.split())", 'return len(re.split(r"[\\s-]+", text.strip())) if text.strip() else 0')
# Passes every test, but crashes (IndexError) when n is more than the number of distinct words.
CRASHES_ON_LARGE_N = FIXED.replace("return [word for word, _ in counts.most_common(n)]",
                                   "ranked = counts.most_common()\n    return [ranked[i][0] for i in range(n)]")
# What the spec of LoopReplayTests.specWithStubs shows, echoed back with a comment and no code: the
# local model sent this for 7 of 40 bench tasks from the second opinion's prompt.
ECHO = '''# word_count counts words; top_words ranks them.
def word_count(text):
    """Return the number of words in text."""


def top_words(text, n):
    """Return the n most frequent words, most frequent first."""
'''
# word_count written out, top_words left as the spec's stub: its docstring and nothing else.
STUB_TOP_WORDS = FIXED.split("def top_words")[0] + 'def top_words(text, n):\n    """Return the n most frequent words, most frequent first."""\n'
# Code of its own, but no return: None on every input.
RETURNS_NOTHING = '''def word_count(text):
    """Return the number of words in text."""
    words = text.split()


def top_words(text, n):
    """Return the n most frequent words, most frequent first."""
    ranked = sorted(text.lower().split())
'''
# An invented case the PRD never states, and wrong: the analyst may unlock the test file for it.
INVENTED_TESTS = TESTS + '''

def test_word_count_hyphenated():
    assert word_count("well-known fact") == 3
'''
DIAG = {"failing_tests": ["test_textstats::test_top_words_ignores_case"],
        "root_cause": "top_words matches only lower-case letters without lower-casing the text, so 'The' is read as 'he'",
        "files_to_change": ["textstats.py"],
        "fix": "Lower-case the text before finding words: re.findall(r\"[a-z']+\", text.lower())."}
DIAG_UNHELPFUL = dict(DIAG, root_cause="top_words counts an empty word", fix="Filter out empty words before counting.")
DIAG_UNLOCK = {"failing_tests": ["test_textstats::test_word_count_hyphenated"],
               "root_cause": "test_word_count_hyphenated expects 3 words in 'well-known fact', which no acceptance criterion states",
               "files_to_change": ["textstats.py"], "fix": "No code change; the test is wrong.",
               "unlock_tests": [{"path": "test_textstats.py",
                                 "reason": "test_word_count_hyphenated invents a case the PRD never states and counts 'well-known' as two words"}]}


def fence(code, lang="python"):
    return f"```{lang}\n{code}```\n"


def block(path, search, replace):
    return f"{path}\n<<<<<<< SEARCH\n{search}\n=======\n{replace}\n>>>>>>> REPLACE\n"


def answer(purpose, content, prompt=600, completion=120):
    return {"purpose": purpose, "request_hash": "", "request": None,
            "response": {"content": content, "model": "qwen2.5-coder-1.5b-instruct", "finish_reason": "stop",
                         "latency_seconds": 1.0, "usage": {"prompt_tokens": prompt, "completion_tokens": completion}}}


def opening(code=BUGGY, tests=TESTS):
    return [answer("pm", json.dumps(PRD), 310, 190), answer("architect", json.dumps(DESIGN), 330, 120),
            answer("developer", fence(code), 420, 110), answer("tests", fence(tests), 400, 130)]


def still_failing(n):
    """A different file each time that still fails the same test the same way."""
    return BUGGY.replace("counts = Counter(words)", f"counts = Counter(words)  # attempt {n}")


def loop(iterations, diag, fixes):
    items = []
    for i, fix in zip(range(1, iterations + 1), fixes):
        items += [answer(f"analyst-{i}", json.dumps(diag), 900, 80), answer(f"fix-{i}", fence(fix), 800, 115)]
    return items


SCENARIOS = {
    # The same failure keeps coming back: after two repeats the strategy changes to a rewrite, after
    # two more the loop stops as stuck (with --max-iterations 6 and stuckAfter 2).
    "loop-stuck": opening() + loop(4, DIAG_UNHELPFUL, [still_failing(i) for i in range(1, 5)]),
    # Fix 1 breaks word_count (which passed): it is reverted, and fix 2, built on the original code, passes.
    "loop-regression": opening() + [
        answer("analyst-1", json.dumps(DIAG), 900, 80), answer("fix-1", fence(BROKEN), 800, 110),
        answer("analyst-2", json.dumps(DIAG), 950, 80), answer("fix-2", fence(FIXED), 850, 115)],
    # Integrity: fix 1 edits the locked test through a search/replace block, then adds a skip marker:
    # both refused, the iteration changes nothing. Fix 2's block does not match the file, the repair's
    # block does, and the tests pass.
    "loop-integrity": opening() + [
        answer("analyst-1", json.dumps(DIAG), 900, 80),
        answer("fix-1", block("test_textstats.py", '    assert top_words("The cat the dog", 1) == ["the"]',
                              '    assert top_words("The cat the dog", 1) == ["he"]'), 800, 60),
        answer("fix-1-repair", fence(FIXED.replace("def top_words(text, n):", "@pytest.mark.skip\ndef top_words(text, n):")
                                     .replace("import re\n", "import re\nimport pytest\n")), 860, 120),
        answer("analyst-2", json.dumps(DIAG), 950, 80),
        answer("fix-2", block("textstats.py", '    words = re.findall(r"[a-z]+", text)', '    words = re.findall(r"[a-z]+", text.lower())'), 850, 50),
        answer("fix-2-repair", block("textstats.py", '    words = re.findall(r"[a-z\']+", text)',
                                     '    words = re.findall(r"[a-z\']+", text.lower())'), 900, 50)],
    # The test writer adds a test that passes against stubs; the stub check asks for a repair.
    "vacuous-tests-repaired": opening(code=FIXED, tests=VACUOUS_TESTS) + [answer("tests-repair", fence(TESTS), 520, 130)],
    # The test writer's answer is cut off mid-statement; the file does not parse, so it goes back.
    "unparsable-tests-repaired": opening(code=FIXED, tests=TESTS.split("def test_top_words_ignores_case")[0]
                                         + 'def test_top_words_ignores_case():\n    assert top_words("The cat the dog", \n')
    + [answer("tests-repair", fence(TESTS), 520, 130)],
    # The analyst unlocks a wrong, invented test with a reason; the fixer corrects the test file.
    "loop-unlock": opening(code=FIXED, tests=INVENTED_TESTS) + [
        answer("analyst-1", json.dumps(DIAG_UNLOCK), 900, 120),
        answer("fix-1", fence(FIXED), 800, 110),
        answer("fix-1", fence(TESTS), 820, 130)],
    # Fix 1 ends the test process at import with status 0: no tests ran, which is a failure, never a
    # pass; the analyst is told, and fix 2 repairs the code.
    "loop-zero-tests": opening() + [
        answer("analyst-1", json.dumps(DIAG), 900, 80),
        answer("fix-1", fence("import os\nos._exit(0)\n" + BUGGY), 800, 120),
        answer("analyst-2", json.dumps(DIAG), 950, 80), answer("fix-2", fence(FIXED), 850, 115)],
    # Six iterations that each change the code and still fail: for the prompt-size check.
    # The spec states an example the first code fails: iteration 1 writes the file again from the spec
    # alone (no analyst), and that version passes.
    "loop-fresh-start": opening() + [answer("fix-1", fence(FIXED), 300, 110)],
    # Best of N: the greedy draw gives the first code again, the second draw is worse, the third passes
    # every spec example, so drawing stops there (of 4 allowed).
    "loop-fresh-draws": opening() + [
        answer("fix-1", fence(BUGGY), 300, 110), answer("fix-1", fence(BROKEN), 300, 110),
        answer("fix-1", fence(FIXED), 300, 110)],
    # The first code does not import (cut off mid-call): every spec example fails at collection, which
    # is failing them, so iteration 1 is a fresh start too.
    "loop-fresh-import-error": opening(code=BUGGY.replace("    return len(text.split())", "    return len(text.split(")) + [
        answer("fix-1", fence(FIXED), 300, 110)],
    # The fresh version does worse (it breaks word_count too), and the second draw (of two) is the same
    # answer, which is not tested again: the original goes on, and the analyst's fix of it passes.
    "loop-fresh-worse": opening() + [
        answer("fix-1", fence(BROKEN), 300, 110), answer("fix-1", fence(BROKEN), 300, 110),
        answer("analyst-2", json.dumps(DIAG), 950, 80), answer("fix-2", fence(FIXED), 850, 115)],
    # Cross-check: the first code passes its tests, and the greedy answer from the spec alone is worded
    # differently but behaves the same on every probe input, so the run ends there, without a commit.
    "cross-check-agrees": opening(code=FIXED) + [answer("fix-1", fence(FIXED_REWORDED), 300, 110)],
    # Cross-check: the first code passes the model's invented test (hyphens split words); the greedy
    # answer does not, so three samples are drawn: two behave like the greedy one, one is broken.
    # Three versions alike outweigh the invented test: the run stops on them, the test disputed.
    "cross-check-disputed": opening(code=HYPHEN_SPLIT, tests=INVENTED_TESTS) + [
        answer("fix-1", fence(FIXED), 300, 110), answer("fix-1", fence(FIXED_REWORDED), 300, 110),
        answer("fix-1", fence(BROKEN), 300, 110), answer("fix-1", fence(FIXED_SORTED), 300, 110)],
    # Cross-check, undecided: the first code passes the invented test, the greedy answer does not.
    # After the four draws the versions pair off (the first code and draw 3 alike, draws 1 and 4
    # alike, draw 2 alone), so no behaviour has a vote; one tie-breaker joins draws 1 and 4, and
    # three versions alike outweigh the invented test.
    "cross-check-undecided": opening(code=HYPHEN_SPLIT, tests=INVENTED_TESTS) + [
        answer("fix-1", fence(FIXED), 300, 110), answer("fix-1", fence(BROKEN), 300, 110),
        answer("fix-1", fence(HYPHEN_SPLIT), 300, 110), answer("fix-1", fence(FIXED_REWORDED), 300, 110),
        answer("fix-1", fence(FIXED_SORTED), 300, 110)],
    # Cross-check: the first code passes its tests and the second opinion is the same code, but it
    # crashes on top_words(..., 5) (an IndexError past the 3 distinct words): the rest are drawn. All
    # versions agree wherever they answer, and pass every test; draw 2, which never crashes, is kept.
    "cross-check-crash": opening(code=CRASHES_ON_LARGE_N) + [
        answer("fix-1", fence(CRASHES_ON_LARGE_N), 300, 110), answer("fix-1", fence(FIXED_REWORDED), 300, 110),
        answer("fix-1", fence(CRASHES_ON_LARGE_N), 300, 110), answer("fix-1", fence(FIXED_SORTED), 300, 110)],
    # Cross-check: the second opinion echoes the spec's stubs and is asked once to write the code; its
    # repair returns None everywhere, which neither confirms nor contests the first code. The next
    # draw (the single-shot prompt) behaves like the first code and confirms it.
    "cross-check-echo": opening(code=FIXED) + [
        answer("fix-1", fence(ECHO), 300, 60), answer("fix-1-repair", fence(RETURNS_NOTHING), 400, 80),
        answer("fix-1", fence(FIXED_REWORDED), 300, 110)],
    # Fresh start with the cross-check on: the greedy draw passes every test, and the next draw,
    # worded differently, behaves the same: that confirms it, and drawing stops at two of four.
    "loop-fresh-confirmed": opening() + [
        answer("fix-1", fence(FIXED), 300, 110), answer("fix-1", fence(FIXED_REWORDED), 300, 110)],
    # Fix 1 breaks word_count and is reverted; fix 2 makes the same change again, which leaves the
    # tip's tree as it is: its commit must report that tree's results, and the best version comes back.
    "loop-revert-repeat": opening() + [
        answer("analyst-1", json.dumps(DIAG), 900, 80), answer("fix-1", fence(BROKEN), 800, 110),
        answer("analyst-2", json.dumps(DIAG), 950, 80), answer("fix-2", fence(BROKEN), 850, 110)],
    # The spec holds a doctest forge misreads into a test that does not parse: forge drops its own
    # examples file instead of locking it, and the run passes on the model's tests.
    "examples-unparsable": opening(code=FIXED),
    # The developer appends its own checks to the source: a test function and module-level asserts,
    # one of them wrong (it would fail the import). forge takes them out without a repair round.
    "source-test-code-removed": opening(code=FIXED + """

@pytest.mark.parametrize("n", [1])
def test_top_words_example(n):
    assert top_words("The cat the dog", n) == ["the"]

assert word_count("a b c") == 3
assert top_words("The cat the dog", 1) == [
    "cat"]
"""),
    # Fresh start: the answer from the spec passes, but ends with an assert of its own that is wrong.
    # Taken out, the draw is used as it stands (before, it went back and the repair was lost).
    "loop-fresh-example-asserts": opening() + [
        answer("fix-1", fence(FIXED + '\nassert top_words("The cat the dog", 1) == ["cat"]\n'), 300, 120)],
    # Fresh start: the greedy draw loops forever on one test, so its run ends at the draws' own time
    # limit, not the profile's; the next draw passes every spec example.
    "loop-fresh-draw-loops": opening() + [
        answer("fix-1", fence(LOOPS_ON_EMPTY), 300, 120), answer("fix-1", fence(FIXED), 300, 110)],
    # The developer copies the spec's stub of top_words back, docstring and no body: one repair
    # request names the function, and the repaired file passes.
    "developer-stub-repaired": opening(code=STUB_TOP_WORDS)[:3] + [
        answer("developer-repair", fence(FIXED), 500, 110), opening()[3]],
    # The same stub answered twice is committed, not a failed run: the fresh start draws the file
    # from the spec, and that draw passes.
    "developer-stub-twice": opening(code=STUB_TOP_WORDS)[:3] + [
        answer("developer-repair", fence(STUB_TOP_WORDS), 500, 60), opening()[3],
        answer("fix-1", fence(FIXED), 300, 110)],
    # The fresh start's draws do worse; fix 2 answers the file exactly as it was while the spec's
    # example fails: it gets the repair request, and the repaired fix passes.
    "loop-unchanged-fix-example": opening() + [
        answer("fix-1", fence(BROKEN), 300, 110), answer("fix-1", fence(BROKEN), 300, 110),
        answer("analyst-2", json.dumps(DIAG), 950, 80), answer("fix-2", fence(BUGGY), 850, 110),
        answer("fix-2-repair", fence(FIXED), 900, 115)],
    # Fix 1 answers the file as it was, and only the model's own tests fail: no repair request (the
    # code may be right and the test wrong); the iteration changes nothing.
    "loop-unchanged-fix-model-test": opening() + [
        answer("analyst-1", json.dumps(DIAG), 900, 80), answer("fix-1", fence(BUGGY), 800, 110)],
    # Fix 2 changes the file and the spec's example still fails: a second sample repeats the first,
    # a third passes, and sampling stops there (fix samples: 4).
    "loop-fix-samples": opening() + [
        answer("fix-1", fence(BROKEN), 300, 110), answer("fix-1", fence(BROKEN), 300, 110),
        answer("analyst-2", json.dumps(DIAG), 950, 80), answer("fix-2", fence(still_failing(1)), 850, 110),
        answer("fix-2", fence(still_failing(1)), 850, 110), answer("fix-2", fence(FIXED), 850, 115)],
    # No sample passes the example: the one that breaks no passing test is kept over a later one
    # that breaks word_count, and the loop goes on from it.
    "loop-fix-samples-none": opening() + [
        answer("fix-1", fence(BROKEN), 300, 110), answer("fix-1", fence(BROKEN), 300, 110),
        answer("analyst-2", json.dumps(DIAG), 950, 80), answer("fix-2", fence(still_failing(1)), 850, 110),
        answer("fix-2", fence(BROKEN), 850, 110)],
    # The second sample passes the example but breaks word_count, the third breaks nothing and
    # fails the example: the second does better and is kept; as a fix that broke a test, it is the
    # best version, and iteration 3 starts from the version before it.
    "loop-fix-samples-breaks": opening() + [
        answer("fix-1", fence(BROKEN), 300, 110), answer("fix-1", fence(BROKEN), 300, 110),
        answer("analyst-2", json.dumps(DIAG), 950, 80), answer("fix-2", fence(still_failing(1)), 850, 110),
        answer("fix-2", fence(FIXED.replace("return len(text.split())", "return len(text)")), 850, 110),
        answer("fix-2", fence(still_failing(2)), 850, 110),
        answer("analyst-3", json.dumps(DIAG_UNHELPFUL), 950, 80), answer("fix-3", fence(still_failing(3)), 850, 110),
        answer("fix-3", fence(still_failing(4)), 850, 110), answer("fix-3", fence(still_failing(5)), 850, 110)],
    "loop-six": opening() + loop(6, DIAG_UNHELPFUL, [still_failing(i) for i in range(1, 7)]),
}

if __name__ == "__main__":
    for name, items in SCENARIOS.items():
        cassette = {"version": 1, "provider": "local", "model": "qwen2.5-coder-1.5b-instruct",
                    "supports_json_schema": True, "interactions": items}
        with open(os.path.join(HERE, f"{name}.json"), "w") as f:
            f.write(json.dumps(cassette, indent=2, sort_keys=True) + "\n")
        print(f"wrote {name}.json ({len(items)} answers)")
