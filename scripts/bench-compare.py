#!/usr/bin/env python3
"""Compares `forge bench --json` outputs: pass rate, mean iterations and tokens per solved task for
each, on the tasks they all ran, and each one's pass rate relative to the first; then, for each run
that stopped for more than one reason, how its runs ended and how many of those passed the hidden tests.

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


def stop_kind(reason):
    """The rule that stopped a run, without its particulars (counts, file names, the kept draw)."""
    reason = reason or "no reason recorded"
    for kind in ("tests pass; cross-checked", "tests pass; not cross-checked", "tests pass; unconfirmed", "tests disputed",
                 "iteration budget spent", "stuck", "token budget", "time budget", "cost budget"):
        if reason.startswith(kind):
            return kind
    if reason.startswith("tests pass"):
        return "tests pass"
    if "stage failed" in reason:
        return reason.split(":")[0]
    return reason.split(";")[0].split(":")[0][:60]


def stop_table(tasks, ids):
    rows = {}
    for i in ids:
        kind = stop_kind(tasks[i].get("stop_reason"))
        runs, passed, failed = rows.get(kind, (0, 0, []))
        rows[kind] = (runs + 1, passed + tasks[i]["passed"], failed + ([] if tasks[i]["passed"] else [i]))
    lines = ["| stop reason | runs | hidden tests pass |", "|---|---|---|"]
    for kind, (runs, passed, failed) in sorted(rows.items(), key=lambda row: -row[1][0]):
        missing = f" (not {', '.join(i.split('_')[-1] for i in failed)})" if failed else ""
        lines.append(f"| {kind} | {runs} | {passed}{missing} |")
    return lines if len(rows) > 1 else []


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
    for path, mode, tasks in runs:
        table = stop_table(tasks, ids)
        if table:
            print(f"\nhow the {mode} runs ended [{path}]:")
            print("\n".join(table))


if __name__ == "__main__":
    main(sys.argv[1:])
