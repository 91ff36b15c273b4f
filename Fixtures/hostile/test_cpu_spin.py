"""Spins on the CPU forever: RLIMIT_CPU ends it with SIGXCPU long before the wall clock would."""


def test_cpu_spin():
    n = 0
    while True:
        n += 1
