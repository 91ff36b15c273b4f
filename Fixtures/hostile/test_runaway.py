"""Tries to outlive the sandbox's timeout: a child in its own session that ignores SIGTERM, and a
test that sleeps forever. The Swift test expects a timeout and then no process carrying the marker."""
import signal
import subprocess
import sys
import time

from hostile_support import config

CHILD = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(100000)"


def test_sleep_forever():
    marker = config()["marker"]
    subprocess.Popen([sys.executable, "-c", CHILD, marker], start_new_session=True,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    while True:
        time.sleep(1000)
