"""Prints 100 MB past pytest's capture, straight into the sandbox's output: forge keeps the first
megabyte, drops the rest with a marker, and still reads the report of a test that passed."""
import sys


def test_hundred_megabytes_of_output(capsys):
    line = "flood " + "x" * 1017 + "\n"
    with capsys.disabled():
        for _ in range(100 * 1024):
            sys.stdout.write(line)
        sys.stdout.flush()
