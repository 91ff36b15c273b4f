"""Prints about N MB (argv[1], default 20) to stdout and some to stderr, then exits 0: the runner
must cap and keep draining without blocking."""
import sys

megabytes = int(sys.argv[1]) if len(sys.argv) > 1 else 20
line = "x" * 1023 + "\n"
for i in range(megabytes * 1024):
    sys.stdout.write(line)
    if i % 4096 == 0:
        sys.stderr.write("flood on stderr %d\n" % i)
sys.stdout.flush()
