#!/usr/bin/env python3
"""Compares `forge bench --json` outputs: pass rate, mean iterations and tokens per solved task for
each, on the tasks they all ran, and each one's pass rate relative to the first.

Usage: scripts/bench-compare.py single-shot.json pipeline.json [more.json ...]
A file may also hold several bench outputs for the same mode (their tasks are merged), which is how
a bench split across runs is put back together:  jq -s . a.json b.json > merged.json  (a JSON list).
"""
import json
import sys


def load(path):
    with open(path) as handle:
        data = json.load(handle)
    outputs = data if isinstance(data, list) else [data]
    modes = {output["summary"]["mode"] for output in outputs}
    if len(modes) != 1:
        sys.exit(f"{path}: mixes modes {sorted(modes)}")
    tasks = {}
    for output in outputs:
        for task in output["tasks"]:
            tasks[task["id"]] = task
    return modes.pop(), tasks


def figures(tasks, ids):
    chosen = [tasks[i] for i in ids]
    solved = [t for t in chosen if t["passed"]]
    tokens = sum(t["tokens"] for t in chosen)
    return {
        "passed": len(solved),
        "total": len(chosen),
        "pass_rate": len(solved) / len(chosen) if chosen else 0.0,
        "mean_iterations": sum(t["iterations"] for t in chosen) / len(chosen) if chosen else 0.0,
        "tokens_per_solved": tokens / len(solved) if solved else None,
        "mean_seconds": sum(t["seconds"] for t in chosen) / len(chosen) if chosen else 0.0,
    }


def main(paths):
    if len(paths) < 2:
        sys.exit(__doc__)
    runs = [(path, *load(path)) for path in paths]
    common = set.intersection(*(set(tasks) for _, _, tasks in runs))
    ids = sorted(common, key=lambda i: (len(i), i))
    print(f"{len(ids)} task(s) in common")
    base = None
    for path, mode, tasks in runs:
        f = figures(tasks, ids)
        base = base or f["pass_rate"]
        ratio = f"{f['pass_rate'] / base:.2f}x the first" if base else "n/a"
        per_solved = f"{f['tokens_per_solved']:.0f}" if f["tokens_per_solved"] is not None else "-"
        print(f"{mode:12} {f['passed']}/{f['total']} passed ({f['pass_rate']:.1%}, {ratio}), "
              f"mean iterations {f['mean_iterations']:.2f}, tokens per solved task {per_solved}, "
              f"mean seconds per task {f['mean_seconds']:.0f}   [{path}]")
    if len(runs) == 2:
        (_, _, a), (_, _, b) = runs
        only_a = [i for i in ids if a[i]["passed"] and not b[i]["passed"]]
        only_b = [i for i in ids if b[i]["passed"] and not a[i]["passed"]]
        print(f"solved only by the first: {', '.join(only_a) or 'none'}")
        print(f"solved only by the second: {', '.join(only_b) or 'none'}")


if __name__ == "__main__":
    main(sys.argv[1:])
