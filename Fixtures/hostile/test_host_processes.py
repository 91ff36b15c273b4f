"""The host's processes are invisible: the sandbox has its own pid namespace and /proc."""
import os

from hostile_support import config


def pids():
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def command_line(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read()
    except OSError:
        return b""


def test_only_the_sandboxes_own_processes():
    # bwrap's init, the shell that became pytest, and whatever pytest started: a handful.
    assert len(pids()) < 10, pids()


def test_the_host_test_process_is_not_visible():
    cfg = config()
    marker = cfg["host_marker"].encode()
    assert not any(marker in command_line(pid) for pid in pids())
    assert marker not in command_line(cfg["host_pid"])
