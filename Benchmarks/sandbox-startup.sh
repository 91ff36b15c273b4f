#!/usr/bin/env bash
# Start-to-exit time of `true` and of a one-test pytest run: a plain child process vs forge's
# sandbox backends, measured in one run.
#
# Drives `forge sandbox bench`, which runs the command RUNS times per backend (after one untimed
# warm-up) in the same workspace with the python profile's toolchain, environment and limits, and
# times each whole run as forge makes it (launcher, cgroup setup and removal included):
#   plain               a bare child process, no launcher: the baseline
#   none                --sandbox none: limits, clean environment, cgroup; no isolation
#   bubblewrap-rlimits  bubblewrap with rlimits only (no cgroups)
#   bubblewrap          the default: bubblewrap + per-run cgroup + rlimits
#   docker, podman      when a working engine has the profile's image (else the reason is printed)
# Prints median, p95, min and max in milliseconds. Not a test: nothing here asserts a time.
#
# Usage: Benchmarks/sandbox-startup.sh [RUNS]   (default 30; run from anywhere in the repo)
set -euo pipefail

runs="${1:-30}"
root="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "building forge..." >&2
(cd "$root" && swift build 2>&1 | grep -E 'error|Compiling|Build complete' | grep -v '^\[' >&2 || true)
forge="$root/.build/debug/forge"

cat > "$work/test_one.py" <<'PY'
def test_one():
    assert 1 + 1 == 2
PY

echo "machine: $(nproc) cores, $(uname -r), $(bwrap --version 2>/dev/null || echo 'no bwrap')"
echo
echo "== true ($runs runs each)"
"$forge" sandbox bench --profile python --runs "$runs" --workspace "$work" -- true
echo
echo "== one-test pytest run ($runs runs each)"
"$forge" sandbox bench --profile python --runs "$runs" --workspace "$work" -- \
    '{interpreter}' -m pytest -q -p no:cacheprovider test_one.py
