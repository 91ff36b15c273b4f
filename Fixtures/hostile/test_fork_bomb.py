"""A fork bomb: every process forks two more, forever. Only a pids cgroup stops it for root (the
kernel does not apply RLIMIT_NPROC to real root); the timeout then ends the run. Every process
carries the marker in its command line, so the Swift test can check none survived.

The test itself waits in Python, which needs no fork: a shell that waited with `sleep` would exit
when the full process table refused that fork, and the test would pass before the timeout."""
import subprocess
import time

from hostile_support import config

BOMB = "bomb() { bomb | bomb & }; bomb"


def test_fork_bomb():
    subprocess.Popen(["/bin/sh", "-c", BOMB, config()["marker"]], stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)
    while True:
        time.sleep(1)
