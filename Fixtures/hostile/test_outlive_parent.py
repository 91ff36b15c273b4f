"""Leaves a daemon behind (its own session, parent gone) that keeps appending to a file in the
workspace. The sandbox must end it with the run: once the run is over, the file stops growing."""
import subprocess
import sys

from hostile_support import config

DAEMON = """
import sys, time
while True:
    with open(sys.argv[2], "a") as f:
        f.write("still alive\\n")
    time.sleep(0.1)
"""


def test_leave_a_daemon_behind():
    cfg = config()
    subprocess.Popen([sys.executable, "-c", DAEMON, cfg["marker"], cfg["late_file"]],
                     start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
