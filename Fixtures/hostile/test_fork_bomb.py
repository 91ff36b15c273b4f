"""A fork bomb: every process forks two more, forever. Only a pids cgroup stops it for root (the
kernel does not apply RLIMIT_NPROC to real root); the timeout then ends the run. Every process
carries the marker in its command line, so the Swift test can check none survived."""
import subprocess

from hostile_support import config

BOMB = "bomb() { bomb | bomb & }; bomb; while :; do sleep 1; done"


def test_fork_bomb():
    subprocess.run(["/bin/sh", "-c", BOMB, config()["marker"]], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
