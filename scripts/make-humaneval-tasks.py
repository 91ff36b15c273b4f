#!/usr/bin/env python3
"""Turns HumanEval problems (JSONL) into forge bench tasks.

    scripts/make-humaneval-tasks.py ../shared/bench/humaneval-dev.jsonl OUT_DIR

Each problem becomes OUT_DIR/<id>/ with:
  spec.md           what the model sees: the task in words, with the signature and docstring
                    (the docstring's examples are part of the spec, as a user would state them)
  task.toml         language = "python", the entry point, where the problem came from
  hidden/test_hidden.py
                    the problem's own `check(candidate)` as one pytest test; forge never shows it to
                    the model: `forge bench` copies it into the final tree only to grade the result
The canonical solution is never written anywhere.
"""
import json
import os
import sys


def task_id(problem):
    return problem["task_id"].replace("/", "_")  # HumanEval/12 -> HumanEval_12


def spec_text(problem):
    prompt = problem["prompt"].strip("\n")
    entry = problem["entry_point"]
    return (
        f"Write a Python module solution.py that defines the function `{entry}` described below. "
        f"Keep the signature exactly as given; any helper it needs may live in the same module.\n\n"
        f"```python\n{prompt}\n```\n"
    )


def hidden_test(problem):
    entry = problem["entry_point"]
    return (
        "# forge bench: the problem's own tests, never shown to the model.\n"
        f"from solution import *  # noqa: F401,F403 (the checks may use helpers as well)\n"
        f"from solution import {entry} as candidate\n"
        f"{problem['test']}\n\n"
        "def test_hidden():\n"
        "    check(candidate)\n"
    )


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    source, out = sys.argv[1], sys.argv[2]
    count = 0
    with open(source) as lines:
        for line in lines:
            if not line.strip():
                continue
            problem = json.loads(line)
            directory = os.path.join(out, task_id(problem))
            os.makedirs(os.path.join(directory, "hidden"), exist_ok=True)
            with open(os.path.join(directory, "spec.md"), "w") as f:
                f.write(spec_text(problem))
            with open(os.path.join(directory, "task.toml"), "w") as f:
                f.write(f'language = "python"\nentry_point = "{problem["entry_point"]}"\n'
                        f'source = "{problem["task_id"]} (OpenAI HumanEval, MIT licence)"\n')
            with open(os.path.join(directory, "hidden", "test_hidden.py"), "w") as f:
                f.write(hidden_test(problem))
            count += 1
    print(f"wrote {count} tasks to {out}")


if __name__ == "__main__":
    main()
