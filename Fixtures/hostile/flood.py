"""Prints about 20 MB to stdout and some to stderr, then exits 0: the runner must cap and keep
draining without blocking."""
import sys

line = "x" * 1023 + "\n"
for i in range(20 * 1024):
    sys.stdout.write(line)
    if i % 4096 == 0:
        sys.stderr.write("flood on stderr %d\n" % i)
sys.stdout.flush()
